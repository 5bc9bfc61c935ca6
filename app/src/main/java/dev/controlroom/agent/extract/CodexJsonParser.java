package dev.controlroom.agent.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

import static dev.controlroom.agent.extract.JsonFields.content;
import static dev.controlroom.agent.extract.JsonFields.count;
import static dev.controlroom.agent.extract.JsonFields.json;
import static dev.controlroom.agent.extract.JsonFields.text;

/** Codex's {@code exec --json} stream: thread, turn and item events. */
final class CodexJsonParser extends JsonLineParser {
    /** The turn's answer: Codex reports no final text of its own at turn end. */
    private Optional<String> lastMessage = Optional.empty();
    /** The turn's last {@code error} line, which {@code turn.failed} repeats. */
    private Optional<String> lastError = Optional.empty();

    CodexJsonParser(Clock clock) {
        super(clock);
    }

    @Override
    void onEvent(String type, JsonNode event, List<AgentEvent> out) {
        switch (type) {
            case "thread.started" -> text(event, "thread_id").ifPresent(id ->
                    out.add(new AgentEvent.SessionStarted(id, Optional.empty(), Optional.empty())));
            case "turn.started" -> {
                lastMessage = Optional.empty();
                lastError = Optional.empty();
            }
            case "item.completed" -> item(event.path("item"), out);
            case "request_user_input" -> out.add(askUser(event));
            case "turn.completed" -> turnCompleted(event.path("usage"), out);
            case "turn.failed" -> turnFailed(event, out);
            case "error" -> {
                String message = text(event, "message").orElse("Codex error");
                lastError = Optional.of(message);
                out.add(RateLimits.failure(message, false, clock));
            }
            default -> { } // item.started and item.updated: the completed item says it all
        }
    }

    private void item(JsonNode item, List<AgentEvent> out) {
        Optional<String> id = text(item, "id");
        switch (item.path("type").asText("")) {
            case "agent_message" -> text(item, "text").ifPresent(t -> {
                lastMessage = Optional.of(t);
                out.add(new AgentEvent.Message(t));
            });
            case "command_execution" -> {
                out.add(new AgentEvent.ToolCall("shell", object("command", item.path("command").asText("")), id));
                boolean failed = item.path("exit_code").isNumber() ? item.path("exit_code").asInt() != 0
                        : !item.path("status").asText("completed").equals("completed");
                out.add(new AgentEvent.ToolResult(id, failed, item.path("aggregated_output").asText("")));
            }
            case "file_change" -> {
                if (!item.path("status").asText("").equals("failed")) {
                    for (JsonNode change : item.path("changes")) {
                        text(change, "path").ifPresent(path ->
                                out.add(new AgentEvent.FileChange(path, change.path("kind").asText("update"))));
                    }
                }
            }
            case "mcp_tool_call" -> mcpToolCall(item, id, out);
            case "web_search" -> out.add(new AgentEvent.ToolCall("web_search", object("query", item.path("query").asText("")), id));
            case "error" -> out.add(RateLimits.failure(text(item, "message").orElse("Codex error"), false, clock));
            case "request_user_input" -> out.add(askUser(item));
            default -> { } // reasoning, todo_list
        }
    }

    /** Named like Claude Code names MCP tools, so one tool reads the same whichever agent called it. */
    private static void mcpToolCall(JsonNode item, Optional<String> id, List<AgentEvent> out) {
        String tool = "mcp__" + item.path("server").asText("server") + "__" + item.path("tool").asText("tool");
        out.add(new AgentEvent.ToolCall(tool, json(item.path("arguments")), id));
        String status = item.path("status").asText("");
        JsonNode error = item.path("error");
        boolean failed = status.equals("failed") || error.isObject() || error.isTextual();
        if (failed) {
            out.add(new AgentEvent.ToolResult(id, true, content(error).isEmpty() ? "failed" : content(error)));
        } else if (status.equals("completed")) {
            JsonNode result = item.path("result");
            out.add(new AgentEvent.ToolResult(id, result.path("isError").asBoolean(false),
                    result.has("content") ? content(result.path("content")) : content(result)));
        }
    }

    /** The questions asked, however the event carries them. */
    private static AgentEvent.NeedsInput askUser(JsonNode event) {
        StringJoiner questions = new StringJoiner("\n");
        for (JsonNode q : event.path("questions")) {
            text(q, "question").or(() -> text(q, "header")).ifPresent(questions::add);
        }
        String question = questions.length() > 0 ? questions.toString()
                : text(event, "question").or(() -> text(event, "prompt")).or(() -> text(event, "message"))
                        .orElse("Codex asks for input");
        return new AgentEvent.NeedsInput(question, false);
    }

    /**
     * {@code input_tokens} holds the cached input and the input written to the cache
     * ({@code cached_input_tokens}, {@code cache_write_input_tokens}); {@code output_tokens} holds the
     * reasoning ({@code reasoning_output_tokens}). Each part is counted once: the cache parts are split
     * off the input, the reasoning stays in the output. Codex does not name the model here.
     */
    private void turnCompleted(JsonNode usage, List<AgentEvent> out) {
        long input = count(usage, "input_tokens");
        long cached = Math.min(input, count(usage, "cached_input_tokens"));
        long written = Math.min(input - cached, count(usage, "cache_write_input_tokens"));
        out.add(new AgentEvent.Usage(input - cached - written, count(usage, "output_tokens"), cached, written, Optional.empty(),
                Optional.empty()));
        question(false, lastMessage).ifPresent(out::add);
        out.add(new AgentEvent.TurnEnd(false, lastMessage, Optional.empty(), Optional.empty()));
    }

    /** Codex prints a failure as an {@code error} line and again as {@code turn.failed}: the same message is reported once. */
    private void turnFailed(JsonNode event, List<AgentEvent> out) {
        String message = text(event.path("error"), "message").or(() -> text(event, "message")).orElse("Codex turn failed");
        if (!lastError.equals(Optional.of(message))) {
            out.add(RateLimits.failure(message, false, clock));
        }
        lastError = Optional.empty();
        out.add(new AgentEvent.TurnEnd(true, Optional.of(message), Optional.empty(), Optional.empty()));
    }

    private static String object(String field, String value) {
        return JsonNodeFactory.instance.objectNode().put(field, value).toString();
    }
}
