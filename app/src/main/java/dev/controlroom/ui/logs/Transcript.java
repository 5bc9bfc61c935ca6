package dev.controlroom.ui.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.agent.extract.AgentEvent;
import dev.controlroom.agent.extract.OutputParser;
import dev.controlroom.agent.extract.Parsers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns an agent CLI's JSON event stream (Claude Code and Qwen Code stream-json, Codex exec --json,
 * Gemini and OpenCode JSON) into what a person reads: the assistant's words, each tool call on one line with
 * its result under it, files changed, questions, usage and how the turn ended — coloured, as
 * terminal bytes. Output that is not such a stream (a shell command, an interactive TUI) passes
 * through untouched: the first non-blank byte decides. Stateful, one per session, fed in order.
 */
final class Transcript {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESET = "\u001b[0m";
    private static final String DIM = "\u001b[2m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";
    private static final int RESULT_LINES = 4;
    private static final int LINE_CHARS = 200;

    private enum Mode { UNDECIDED, JSON, RAW }

    private final OutputParser parser;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private Mode mode = Mode.UNDECIDED;
    /** The session offset just after the last byte taken; -1 before the first. */
    private long end = -1;
    /** Starting mid-stream: the first, partial line is not an event. */
    private boolean skipToNewline;
    /** The agent's working directory once it said so: paths under it are shown relative to it. */
    private String cwd = "";

    /** A transcript of a session of {@code profileId}; a profile without a JSON stream always passes through. */
    Transcript(String profileId) {
        this(profileId, "");
    }

    /** As {@link #Transcript(String)}, for a session started in {@code workingDir} (paths under it are shown relative to it). */
    Transcript(String profileId, String workingDir) {
        this.cwd = workingDir.isEmpty() || workingDir.endsWith("/") ? workingDir : workingDir + "/";
        this.parser = Parsers.forProfile(profileId, true);
        if (!List.of("claude", "codex", "gemini", "opencode", "qwen").contains(profileId)) {
            mode = Mode.RAW;
        }
    }

    /** Whether the output turned out to be a JSON event stream (so a raw view of it is worth offering). */
    synchronized boolean isStream() {
        return mode == Mode.JSON;
    }

    /**
     * Takes the session's bytes from {@code offset} (bytes before what was taken already are
     * skipped: live output may repeat a little of the stored tail) and returns what to show.
     */
    synchronized byte[] feed(long offset, byte[] bytes) {
        int from = 0;
        if (end < 0 && offset > 0) {
            skipToNewline = true;
        }
        if (end >= 0 && offset >= 0) {
            if (offset + bytes.length <= end) {
                return new byte[0];
            }
            from = (int) Math.max(0, end - offset);
        }
        end = offset >= 0 ? offset + bytes.length : end;
        StringBuilder out = new StringBuilder();
        for (int i = from; i < bytes.length; i++) {
            byte b = bytes[i];
            if (skipToNewline) {
                skipToNewline = b != '\n';
                continue;
            }
            if (mode == Mode.UNDECIDED) {
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                    continue;
                }
                mode = b == '{' ? Mode.JSON : Mode.RAW;
            }
            if (mode == Mode.RAW) {
                // Everything from here on is shown as printed.
                byte[] rest = new byte[bytes.length - i];
                System.arraycopy(bytes, i, rest, 0, rest.length);
                return concat(out, rest);
            }
            if (b == '\n') {
                lineDone(out);
            } else if (b != '\r') {
                line.write(b);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The output ended: what the last, unterminated line and the parser still hold. */
    synchronized byte[] end() {
        StringBuilder out = new StringBuilder();
        if (mode == Mode.JSON) {
            if (line.size() > 0) {
                lineDone(out);
            }
            parser.onEnd().forEach(e -> render(e, out));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void lineDone(StringBuilder out) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isBlank()) {
            return;
        }
        List<AgentEvent> events = parser.onLine(text);
        if (!text.startsWith("{")) {
            // A line of plain text amid the stream (a warning from the CLI): shown as it is.
            out.append(text).append("\r\n");
        }
        for (AgentEvent e : events) {
            if (e instanceof AgentEvent.SessionStarted started) {
                cwd = started.cwd().map(c -> c.endsWith("/") ? c : c + "/").orElse(cwd);
            }
            StringBuilder one = new StringBuilder();
            render(e, one);
            out.append(cwd.isEmpty() ? one : one.toString().replace(cwd, ""));
        }
    }

    /** One event as terminal text ending in CR LF; events that say nothing to a reader (a usage line per turn aside) are left out. */
    static void render(AgentEvent event, StringBuilder out) {
        switch (event) {
            case AgentEvent.SessionStarted s -> line(out, DIM + "● session " + s.nativeSessionId()
                    + s.model().map(m -> " · " + m).orElse("") + s.cwd().map(c -> " · " + c).orElse("") + RESET);
            case AgentEvent.Message m -> {
                String[] lines = m.text().strip().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    line(out, (i == 0 ? BOLD + "● " + RESET : "  ") + lines[i]);
                }
            }
            case AgentEvent.ToolCall c -> line(out, CYAN + "→ " + BOLD + c.tool() + RESET + CYAN + "(" + clip(argument(c.inputJson()), LINE_CHARS)
                    + ")" + RESET);
            case AgentEvent.ToolResult r -> {
                String[] lines = r.output().strip().split("\n", -1);
                String colour = r.isError() ? RED : DIM;
                int shown = Math.min(RESULT_LINES, lines.length);
                for (int i = 0; i < shown; i++) {
                    line(out, colour + (i == 0 ? "  └ " : "    ") + clip(lines[i], LINE_CHARS) + RESET);
                }
                if (lines.length > shown) {
                    line(out, DIM + "    … " + (lines.length - shown) + " more line" + (lines.length - shown == 1 ? "" : "s") + RESET);
                }
            }
            case AgentEvent.FileChange f -> line(out, GREEN + "  ✎ " + f.kind() + " " + f.path() + RESET);
            case AgentEvent.NeedsInput q -> line(out, YELLOW + BOLD + (q.permission() ? "? permission: " : "? ") + q.question() + RESET);
            case AgentEvent.RateLimited l -> line(out, YELLOW + "⏸ rate limited" + l.resetAt().map(t -> " until " + t).orElse("")
                    + (l.detail().isBlank() ? "" : ": " + clip(l.detail(), LINE_CHARS)) + RESET);
            case AgentEvent.ProviderRetry r -> line(out, YELLOW + "↻ " + clip(r.detail(), LINE_CHARS) + RESET);
            case AgentEvent.Usage u -> line(out, DIM + "  tokens: " + String.format(Locale.ROOT, "%,d in · %,d out", u.inputTokens(),
                    u.outputTokens()) + (u.cacheReadTokens() > 0 ? String.format(Locale.ROOT, " · %,d cached", u.cacheReadTokens()) : "")
                    + RESET);
            case AgentEvent.TurnEnd t -> line(out, (t.isError() ? RED + "✘ turn failed" : GREEN + "✔ turn done")
                    + t.durationMs().map(ms -> String.format(Locale.ROOT, " in %.1f s", ms / 1000.0)).orElse("")
                    + t.result().filter(r -> t.isError()).map(r -> ": " + clip(r, LINE_CHARS)).orElse("") + RESET);
            case AgentEvent.Error e -> line(out, RED + "error: " + clip(e.message(), LINE_CHARS) + RESET);
            case AgentEvent.TestResult r -> line(out, (r.failed() > 0 ? RED : GREEN) + r.framework() + ": " + r.passed() + " passed, "
                    + r.failed() + " failed, " + r.skipped() + " skipped" + RESET);
        }
    }

    /** The one argument that says what a tool call does (a file, a command, a pattern), or its input cut short. */
    static String argument(String inputJson) {
        try {
            JsonNode input = JSON.readTree(inputJson);
            for (String key : List.of("file_path", "path", "command", "cmd", "pattern", "url", "query", "description", "prompt")) {
                JsonNode value = input.get(key);
                if (value != null && !value.isNull()) {
                    String text = value.isArray() ? joined(value) : value.asText();
                    return text.replace('\n', ' ');
                }
            }
        } catch (java.io.IOException e) {
            // Not JSON after all: shown as it came.
        }
        return inputJson.replace('\n', ' ');
    }

    private static String joined(JsonNode array) {
        StringBuilder sb = new StringBuilder();
        array.forEach(v -> sb.append(sb.isEmpty() ? "" : " ").append(v.asText()));
        return sb.toString();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append("\r\n");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static byte[] concat(StringBuilder head, byte[] tail) {
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + tail.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(tail, 0, all, h.length, tail.length);
        return all;
    }
}
