package dev.controlroom.agent.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.controlroom.agent.extract.JsonFields.content;
import static dev.controlroom.agent.extract.JsonFields.count;
import static dev.controlroom.agent.extract.JsonFields.decimal;
import static dev.controlroom.agent.extract.JsonFields.json;
import static dev.controlroom.agent.extract.JsonFields.number;
import static dev.controlroom.agent.extract.JsonFields.text;

/** OpenCode's {@code run --format json} stream: {@code {type, timestamp, sessionID, part}} objects. */
final class OpenCodeJsonParser extends JsonLineParser {
    private static final Map<String, String> FILE_TOOLS = Map.of("write", "write", "edit", "update", "multiedit", "update");

    private final Set<String> calledIds = new HashSet<>();
    private boolean started;
    private Optional<String> lastMessage = Optional.empty();

    OpenCodeJsonParser(Clock clock) {
        super(clock);
    }

    @Override
    void onEvent(String type, JsonNode event, List<AgentEvent> out) {
        JsonNode part = event.path("part");
        switch (type) {
            case "step_start" -> {
                if (!started) {
                    text(event, "sessionID").or(() -> text(part, "sessionID")).ifPresent(id -> {
                        started = true;
                        out.add(new AgentEvent.SessionStarted(id, Optional.empty(), Optional.empty()));
                    });
                }
            }
            case "text" -> text(part, "text").ifPresent(t -> {
                lastMessage = Optional.of(t);
                out.add(new AgentEvent.Message(t));
            });
            case "tool_use" -> toolUse(part, out);
            case "step_finish" -> stepFinish(part, out);
            case "error" -> {
                AgentEvent error = error(event.path("error"));
                out.add(error);
                // The run stops at a session error (exit code 1) without a last step_finish: the turn ends here,
                // failed with that error. A rate limit is left to what the engine does with rate limits.
                if (error instanceof AgentEvent.Error failure) {
                    out.add(new AgentEvent.TurnEnd(true, Optional.of(failure.message()), Optional.empty(), Optional.empty()));
                    lastMessage = Optional.empty();
                }
            }
            default -> { } // reasoning, and whatever later versions add
        }
    }

    /** A tool may be reported while pending or running and again when done: it is called once, finished once. */
    private void toolUse(JsonNode part, List<AgentEvent> out) {
        Optional<String> id = text(part, "callID").or(() -> text(part, "id"));
        String tool = part.path("tool").asText("tool");
        JsonNode state = part.path("state");
        if (id.isEmpty() || calledIds.add(id.get())) {
            out.add(new AgentEvent.ToolCall(tool, json(state.path("input")), id));
        }
        String status = state.path("status").asText("");
        if (status.equals("completed") || status.equals("error")) {
            toolUseFinished(state, id, tool, out);
        }
    }

    private static void toolUseFinished(JsonNode state, Optional<String> id, String tool, List<AgentEvent> out) {
        boolean failed = state.path("status").asText("").equals("error");
        out.add(new AgentEvent.ToolResult(id, failed, content(failed ? state.path("error") : state.path("output"))));
        String kind = FILE_TOOLS.get(tool);
        if (kind != null && !failed) {
            text(state.path("input"), "filePath").ifPresent(path -> out.add(new AgentEvent.FileChange(path, kind)));
        }
    }

    /** Every model call is a step; a step that stopped for tool calls is followed by another, so only the last ends the turn. */
    private void stepFinish(JsonNode part, List<AgentEvent> out) {
        JsonNode tokens = part.path("tokens");
        JsonNode cache = tokens.path("cache");
        out.add(new AgentEvent.Usage(count(tokens, "input"), count(tokens, "output"), count(cache, "read"), count(cache, "write"),
                Optional.empty(), decimal(part, "cost")));
        String reason = part.path("reason").asText("");
        if (!reason.equals("tool-calls")) {
            boolean isError = reason.equals("error");
            question(isError, lastMessage).ifPresent(out::add);
            out.add(new AgentEvent.TurnEnd(isError, lastMessage, Optional.empty(), Optional.empty()));
            lastMessage = Optional.empty();
        }
    }

    /** {@code {name, data: {message, statusCode}}} in current versions, a plain message in others. */
    private AgentEvent error(JsonNode error) {
        JsonNode data = error.path("data");
        String message = text(data, "message").or(() -> text(error, "message")).or(() -> text(error, "name"))
                .orElse(error.isTextual() ? error.asText() : "OpenCode error");
        String named = text(error, "name").filter(n -> !message.startsWith(n)).map(n -> n + ": " + message).orElse(message);
        boolean limited = number(data, "statusCode").filter(s -> s == 429).isPresent();
        return RateLimits.failure(named, limited, clock);
    }
}
