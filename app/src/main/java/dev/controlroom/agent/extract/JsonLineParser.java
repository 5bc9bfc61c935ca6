package dev.controlroom.agent.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parser for a CLI's JSON event stream, one object per line. Lines that are not JSON objects
 * (warnings, a crash before the stream starts, a malformed line) go to the plain patterns instead. An
 * object the terminal recorder cut into several lines (it bounds line length) is joined back.
 */
abstract class JsonLineParser implements OutputParser {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** A cut object is joined up to this size; beyond it the pieces are read as plain text. */
    private static final int MAX_JOINED_CHARS = 4 << 20;
    private static final int MIN_CUT_CHARS = 16 * 1024;

    protected final Clock clock;
    private final PlainParser plain;
    private final StringBuilder cut = new StringBuilder();
    private final List<String> cutLines = new ArrayList<>();

    JsonLineParser(Clock clock) {
        this.clock = clock;
        this.plain = new PlainParser(clock);
    }

    /** Reports what one event of the stream means; {@code type} is its "type" field. */
    abstract void onEvent(String type, JsonNode event, List<AgentEvent> out);

    /** The stream ended: report what is still held back. */
    void onStreamEnd(List<AgentEvent> out) {
    }

    @Override
    public final List<AgentEvent> onLine(String line) {
        List<AgentEvent> out = new ArrayList<>(2);
        if (!cut.isEmpty()) {
            cut.append(line);
            cutLines.add(line);
            Parsed joined = parse(cut.toString());
            if (joined.node().isPresent()) {
                clearCut();
                dispatch(joined.node().get(), out);
                return out;
            }
            if (joined.eof() && wasCut(line) && cut.length() < MAX_JOINED_CHARS) {
                return List.of(); // more to come
            }
            if (!joined.eof()) {
                cutLines.removeLast(); // the pieces so far were text; this line starts afresh
            }
            readAsText(cutLines, out);
            clearCut();
            if (joined.eof()) {
                return out;
            }
        }
        if (!looksLikeObject(line)) {
            out.addAll(plain.onLine(line));
            return out;
        }
        Parsed parsed = parse(line);
        if (parsed.node().isPresent()) {
            dispatch(parsed.node().get(), out);
        } else if (parsed.eof() && wasCut(line)) {
            cut.append(line);
            cutLines.add(line);
        } else {
            out.addAll(plain.onLine(line));
        }
        return out.isEmpty() ? List.of() : out;
    }

    @Override
    public final List<AgentEvent> onEnd() {
        List<AgentEvent> out = new ArrayList<>();
        readAsText(cutLines, out);
        clearCut();
        onStreamEnd(out);
        out.addAll(plain.onEnd());
        return out;
    }

    /**
     * A turn that ended on a question is waiting for an answer: in print mode the CLI stops with the
     * question as its final text.
     */
    static Optional<AgentEvent.NeedsInput> question(boolean isError, Optional<String> finalText) {
        return finalText.filter(text -> !isError && isQuestion(text)).map(text -> new AgentEvent.NeedsInput(text.strip(), false));
    }

    static boolean isQuestion(String text) {
        String t = text.strip();
        return t.endsWith("?") || t.endsWith("？");
    }

    private void dispatch(JsonNode node, List<AgentEvent> out) {
        if (node.isObject()) {
            onEvent(node.path("type").asText(""), node, out);
        }
    }

    /** Only a line as long as the recorder's limit can have been cut by it (64 KB of UTF-8 is at least 16 K chars). */
    private static boolean wasCut(String piece) {
        return piece.length() >= MIN_CUT_CHARS;
    }

    private void readAsText(List<String> pieces, List<AgentEvent> out) {
        for (String piece : pieces) {
            out.addAll(plain.onLine(piece));
        }
    }

    private void clearCut() {
        cut.setLength(0);
        cutLines.clear();
    }

    private static boolean looksLikeObject(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    private static Parsed parse(String text) {
        try {
            return new Parsed(Optional.of(MAPPER.readTree(text)), false);
        } catch (JsonEOFException e) {
            return new Parsed(Optional.empty(), true);
        } catch (JsonProcessingException e) {
            return new Parsed(Optional.empty(), false);
        }
    }

    private record Parsed(Optional<JsonNode> node, boolean eof) {
    }
}
