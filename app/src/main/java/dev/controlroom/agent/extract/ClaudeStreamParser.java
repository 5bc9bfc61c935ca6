package dev.controlroom.agent.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import static dev.controlroom.agent.extract.JsonFields.content;
import static dev.controlroom.agent.extract.JsonFields.count;
import static dev.controlroom.agent.extract.JsonFields.decimal;
import static dev.controlroom.agent.extract.JsonFields.json;
import static dev.controlroom.agent.extract.JsonFields.number;
import static dev.controlroom.agent.extract.JsonFields.text;

/** Claude Code's {@code -p --output-format stream-json --verbose} stream. */
final class ClaudeStreamParser extends JsonLineParser {
    /** A failed API call shows up twice (synthetic message, then the result): it is reported once. */
    private Optional<String> lastApiError = Optional.empty();
    /** The model the session started on, for usage that names none. */
    private Optional<String> sessionModel = Optional.empty();
    /** The usage of each API message since the last result, by message id. */
    private final Map<String, AgentEvent.Usage> messages = new LinkedHashMap<>();

    ClaudeStreamParser(Clock clock) {
        super(clock);
    }

    @Override
    void onEvent(String type, JsonNode event, List<AgentEvent> out) {
        switch (type) {
            case "system" -> system(event, out);
            case "assistant" -> assistant(event, out);
            case "user" -> toolResults(event.path("message").path("content"), out);
            case "rate_limit_event" -> rateLimit(event.path("rate_limit_info"), out);
            case "result" -> result(event, out);
            default -> { } // stream_event (partial messages) and whatever later versions add
        }
    }

    private void system(JsonNode event, List<AgentEvent> out) {
        switch (event.path("subtype").asText("")) {
            case "init" -> {
                sessionModel = text(event, "model");
                text(event, "session_id").ifPresent(id -> out.add(new AgentEvent.SessionStarted(id, sessionModel, text(event, "cwd"),
                        text(event, "claude_code_version"))));
            }
            case "api_retry" -> apiRetry(event, out);
            default -> { }
        }
    }

    private void apiRetry(JsonNode event, List<AgentEvent> out) {
        Optional<Long> status = number(event, "error_status");
        String attempt = "API retry " + event.path("attempt").asText("?") + "/" + event.path("max_retries").asText("?");
        String cause = status.map(s -> " after HTTP " + s).orElse(" after a connection error")
                + text(event, "error").map(e -> " (" + e + ")").orElse("");
        Optional<Long> delay = number(event, "retry_delay_ms");
        if (status.filter(s -> s == 429).isPresent()) {
            out.add(new AgentEvent.RateLimited(delay.map(ms -> clock.instant().plus(Duration.ofMillis(ms))),
                    attempt + cause + delay.map(ms -> ", next in " + ms + " ms").orElse("")));
        } else {
            // The CLI retries by itself: progress, not an error of the agent's (HTTP 529 ten times is one overloaded provider).
            out.add(new AgentEvent.ProviderRetry((int) number(event, "attempt").orElse(0L).longValue(),
                    number(event, "max_retries").map(Long::intValue), status.map(Long::intValue), delay, attempt + cause));
        }
    }

    private static AgentEvent withStatus(AgentEvent e, Optional<Integer> status) {
        return e instanceof AgentEvent.Error err ? err.withStatus(status) : e;
    }

    /** The HTTP status behind the error code of Claude Code's synthetic error message. */
    private static Optional<Integer> statusOf(String code) {
        return Optional.ofNullable(switch (code) {
            case "invalid_request" -> 400;
            case "authentication_failed" -> 401;
            case "billing_error", "permission_error" -> 403;
            case "rate_limit" -> 429;
            case "server_error" -> 500;
            case "overloaded", "overloaded_error" -> 529;
            default -> null;
        });
    }

    private void assistant(JsonNode event, List<AgentEvent> out) {
        messageUsage(event.path("message"));
        JsonNode blocks = event.path("message").path("content");
        Optional<String> apiError = text(event, "error");
        if (apiError.isPresent()) {
            String text = content(blocks);
            String message = text.isBlank() ? "API error: " + apiError.get() : text;
            lastApiError = Optional.of(message);
            out.add(withStatus(RateLimits.failure(message, apiError.get().equals("rate_limit"), clock), statusOf(apiError.get())));
            return;
        }
        for (JsonNode block : blocks) {
            switch (block.path("type").asText("")) {
                case "text" -> text(block, "text").ifPresent(t -> out.add(new AgentEvent.Message(t)));
                case "tool_use", "server_tool_use" -> toolUse(block, out);
                default -> { } // thinking, redacted_thinking
            }
        }
    }

    private static void toolUse(JsonNode block, List<AgentEvent> out) {
        String tool = block.path("name").asText("tool");
        JsonNode input = block.path("input");
        out.add(new AgentEvent.ToolCall(tool, json(input), text(block, "id")));
        String kind = switch (tool) {
            case "Write" -> "write";
            case "Edit", "MultiEdit", "NotebookEdit" -> "update";
            default -> "";
        };
        if (!kind.isEmpty()) {
            text(input, "file_path").or(() -> text(input, "notebook_path"))
                    .ifPresent(path -> out.add(new AgentEvent.FileChange(path, kind)));
        }
    }

    private static void toolResults(JsonNode blocks, List<AgentEvent> out) {
        for (JsonNode block : blocks) {
            if (block.path("type").asText("").equals("tool_result")) {
                out.add(new AgentEvent.ToolResult(text(block, "tool_use_id"), block.path("is_error").asBoolean(false),
                        content(block.path("content"))));
            }
        }
    }

    /** Sent after turns as information too: only a refusal ("rejected") parks the agent. */
    private static void rateLimit(JsonNode info, List<AgentEvent> out) {
        String status = info.path("status").asText("");
        if (status.isEmpty() || status.startsWith("allowed")) {
            return;
        }
        String detail = "Claude rate limit " + status + text(info, "rateLimitType").map(t -> " (" + t + ")").orElse("");
        out.add(new AgentEvent.RateLimited(JsonFields.instant(JsonFields.fieldStartingWith(info, "reset")), detail));
    }

    private void result(JsonNode event, List<AgentEvent> out) {
        out.addAll(usage(event));
        messages.clear();

        String subtype = event.path("subtype").asText("");
        boolean isError = event.path("is_error").asBoolean(false) || subtype.startsWith("error");
        Optional<String> result = text(event, "result");
        if (isError) {
            String message = result.or(() -> Optional.of(content(event.path("errors"))).filter(s -> !s.isBlank()))
                    .orElse("Claude Code ended with " + subtype);
            if (!lastApiError.equals(Optional.of(message))) {
                boolean limited = number(event, "api_error_status").filter(s -> s == 429).isPresent();
                out.add(withStatus(RateLimits.failure(message, limited, clock), number(event, "api_error_status").map(Long::intValue)));
            }
        }
        JsonNode denials = event.path("permission_denials");
        if (denials.isArray() && !denials.isEmpty()) {
            out.add(new AgentEvent.NeedsInput(result.filter(JsonLineParser::isQuestion).orElse("Allow " + denied(denials) + "?"), true));
        } else {
            question(isError, result).ifPresent(out::add);
        }
        Optional<Integer> turns = number(event, "num_turns").map(Long::intValue);
        out.add(new AgentEvent.TurnEnd(isError, result, turns, number(event, "duration_ms")));
    }

    /** A process killed before its {@code result} line still used what its messages counted. */
    @Override
    void onStreamEnd(List<AgentEvent> out) {
        out.addAll(fromMessages());
        messages.clear();
    }

    /**
     * The tokens of the turn the {@code result} line closes, from one source, never two added up:
     * <ol>
     *   <li>{@code modelUsage}, when it counts any token: per model, with each model's own cost. It is the
     *       complete account (it also holds the calls the CLI made on other models, and it is the only one
     *       filled after the CLI fell back from streaming to a plain request);</li>
     *   <li>else {@code usage}, on the one model {@code modelUsage} names or the session's model;</li>
     *   <li>else what the turn's {@code assistant} lines counted (a lower bound: they are written while the
     *       message streams);</li>
     *   <li>else nothing: a turn that used no token reports none.</li>
     * </ol>
     */
    private List<AgentEvent.Usage> usage(JsonNode event) {
        JsonNode models = event.path("modelUsage");
        Map<String, AgentEvent.Usage> perModel = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : models.properties()) {
            JsonNode m = e.getValue();
            AgentEvent.Usage used = new AgentEvent.Usage(count(m, "inputTokens", "input_tokens"), count(m, "outputTokens", "output_tokens"),
                    count(m, "cacheReadInputTokens", "cache_read_input_tokens"),
                    count(m, "cacheCreationInputTokens", "cache_creation_input_tokens"), Optional.of(e.getKey()),
                    decimal(m, "costUSD"));
            if (used.counted()) {
                // Two spellings of one model ("claude-opus-4-8[1m]", "claude-opus-4-8") are one model.
                perModel.merge(used.model().orElse(""), used, ClaudeStreamParser::sum);
            }
        }
        if (!perModel.isEmpty()) {
            return List.copyOf(perModel.values());
        }
        JsonNode usage = event.path("usage");
        Optional<String> model = models.isObject() && models.size() == 1 ? Optional.of(models.fieldNames().next()) : sessionModel;
        AgentEvent.Usage total = new AgentEvent.Usage(count(usage, "input_tokens"), count(usage, "output_tokens"),
                count(usage, "cache_read_input_tokens"), count(usage, "cache_creation_input_tokens"), model,
                decimal(event, "total_cost_usd"));
        return total.counted() ? List.of(total) : fromMessages();
    }

    /** Each API message's usage is repeated on every line of its content: the largest count seen per message. */
    private void messageUsage(JsonNode message) {
        JsonNode usage = message.path("usage");
        Optional<String> id = text(message, "id");
        if (id.isEmpty() || !usage.isObject()) {
            return;
        }
        Optional<String> model = text(message, "model").filter(m -> !m.startsWith("<")).or(() -> sessionModel);
        AgentEvent.Usage seen = new AgentEvent.Usage(count(usage, "input_tokens"), count(usage, "output_tokens"),
                count(usage, "cache_read_input_tokens"), count(usage, "cache_creation_input_tokens"), model, Optional.empty());
        messages.merge(id.get(), seen, (a, b) -> new AgentEvent.Usage(Math.max(a.inputTokens(), b.inputTokens()),
                Math.max(a.outputTokens(), b.outputTokens()), Math.max(a.cacheReadTokens(), b.cacheReadTokens()),
                Math.max(a.cacheWriteTokens(), b.cacheWriteTokens()), a.model().or(b::model), Optional.empty()));
    }

    /** What the assistant lines since the last result counted, per model. */
    private List<AgentEvent.Usage> fromMessages() {
        Map<String, AgentEvent.Usage> perModel = new LinkedHashMap<>();
        messages.values().stream().filter(AgentEvent.Usage::counted)
                .forEach(u -> perModel.merge(u.model().orElse(""), u, ClaudeStreamParser::sum));
        return List.copyOf(perModel.values());
    }

    private static AgentEvent.Usage sum(AgentEvent.Usage a, AgentEvent.Usage b) {
        Optional<Double> cost = a.reportedCostUsd().isPresent() || b.reportedCostUsd().isPresent()
                ? Optional.of(a.reportedCostUsd().orElse(0.0) + b.reportedCostUsd().orElse(0.0)) : Optional.empty();
        return new AgentEvent.Usage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.cacheReadTokens() + b.cacheReadTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(), a.model(), cost);
    }

    /** "Bash (rm -rf build), Write (/x/a.txt)": each denied tool with what it wanted to touch. */
    private static String denied(JsonNode denials) {
        StringJoiner all = new StringJoiner(", ");
        for (JsonNode denial : denials) {
            JsonNode input = denial.path("tool_input");
            Optional<String> what = text(input, "command").or(() -> text(input, "file_path")).or(() -> text(input, "path"))
                    .or(() -> text(input, "url"));
            all.add(denial.path("tool_name").asText("a tool") + what.map(w -> " (" + w + ")").orElse(""));
        }
        return all.toString();
    }
}
