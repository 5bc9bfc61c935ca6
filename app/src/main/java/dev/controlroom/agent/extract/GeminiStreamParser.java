package dev.controlroom.agent.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.controlroom.agent.extract.JsonFields.content;
import static dev.controlroom.agent.extract.JsonFields.count;
import static dev.controlroom.agent.extract.JsonFields.firstNumber;
import static dev.controlroom.agent.extract.JsonFields.json;
import static dev.controlroom.agent.extract.JsonFields.text;

/**
 * Gemini CLI's {@code -p --output-format stream-json} stream. The assistant's text arrives in delta
 * chunks; they are joined into one message, reported when something else happens.
 */
final class GeminiStreamParser extends JsonLineParser {
    /** Tools that write a file, and what kind of change they make. */
    private static final Map<String, String> FILE_TOOLS = Map.of("write_file", "write", "replace", "update", "edit", "update");

    /** Token count names seen across versions, most recent first. */
    private static final String[] PROMPT = {"input_tokens", "inputTokens", "prompt_tokens", "promptTokens", "promptTokenCount",
            "prompt"};
    private static final String[] OUTPUT = {"output_tokens", "outputTokens", "candidates_tokens", "candidatesTokens",
            "candidatesTokenCount", "candidates"};
    private static final String[] CACHED = {"cached", "cached_tokens", "cachedTokens", "cachedContentTokenCount"};

    private final StringBuilder streamed = new StringBuilder();
    private Optional<String> model = Optional.empty();
    private Optional<String> lastMessage = Optional.empty();

    GeminiStreamParser(Clock clock) {
        super(clock);
    }

    @Override
    void onEvent(String type, JsonNode event, List<AgentEvent> out) {
        boolean assistant = type.equals("message") && event.path("role").asText("").equals("assistant");
        if (assistant && event.path("delta").asBoolean(false)) {
            streamed.append(event.path("content").asText(""));
            return;
        }
        flushMessage(out);
        switch (type) {
            case "init" -> {
                model = text(event, "model");
                text(event, "session_id").or(() -> text(event, "sessionId")).ifPresent(id ->
                        out.add(new AgentEvent.SessionStarted(id, model, text(event, "cwd"))));
            }
            case "message" -> {
                if (assistant) {
                    message(event.path("content").asText(""), out);
                }
            }
            case "tool_use" -> toolUse(event, out);
            case "tool_result" -> {
                boolean failed = event.path("status").asText("").equals("error") || event.path("error").isObject();
                String output = failed && event.path("error").isObject() ? content(event.path("error")) : content(event.path("output"));
                out.add(new AgentEvent.ToolResult(text(event, "tool_id"), failed, output));
            }
            case "error" -> {
                String message = text(event, "message").orElse("Gemini error");
                String severity = event.path("severity").asText("error");
                out.add(RateLimits.failure(severity.equals("error") ? message : severity + ": " + message, false, clock));
            }
            case "result" -> result(event, out);
            default -> { }
        }
    }

    @Override
    void onStreamEnd(List<AgentEvent> out) {
        flushMessage(out);
    }

    private void flushMessage(List<AgentEvent> out) {
        if (!streamed.isEmpty()) {
            message(streamed.toString(), out);
            streamed.setLength(0);
        }
    }

    private void message(String text, List<AgentEvent> out) {
        if (!text.isBlank()) {
            lastMessage = Optional.of(text);
            out.add(new AgentEvent.Message(text));
        }
    }

    private static void toolUse(JsonNode event, List<AgentEvent> out) {
        String tool = text(event, "tool_name").or(() -> text(event, "name")).orElse("tool");
        JsonNode parameters = event.has("parameters") ? event.path("parameters") : event.path("args");
        out.add(new AgentEvent.ToolCall(tool, json(parameters), text(event, "tool_id")));
        String kind = FILE_TOOLS.get(tool);
        if (kind != null) {
            text(parameters, "file_path").or(() -> text(parameters, "absolute_path")).or(() -> text(parameters, "path"))
                    .ifPresent(path -> out.add(new AgentEvent.FileChange(path, kind)));
        }
    }

    /**
     * Token counts under whichever names this version uses (input_tokens, prompt, promptTokenCount,
     * ...), at the top of the stats or summed over its per-model breakdown, or one count per model when
     * several were used; cached input is split off.
     */
    private void result(JsonNode event, List<AgentEvent> out) {
        JsonNode stats = event.path("stats");
        JsonNode models = stats.path("models");
        if (models.isObject() && models.size() > 1) {
            // With the "auto" model a small model picks the big one for each request: each is priced apart.
            for (Map.Entry<String, JsonNode> perModel : models.properties()) {
                JsonNode tokens = perModel.getValue().has("tokens") ? perModel.getValue().path("tokens") : perModel.getValue();
                if (count(tokens, PROMPT) + count(tokens, OUTPUT) > 0) {
                    usage(tokens, Optional.of(perModel.getKey()), out);
                }
            }
        } else {
            usage(stats, models.isObject() && models.size() == 1 ? Optional.of(models.fieldNames().next()) : model, out);
        }

        boolean isError = event.path("status").asText("success").equals("error") || event.path("error").isObject();
        Optional<String> failure = event.path("error").isObject() ? Optional.of(content(event.path("error"))) : Optional.empty();
        failure.ifPresent(message -> out.add(RateLimits.failure(message, false, clock)));
        question(isError, lastMessage).ifPresent(out::add);
        Optional<Long> duration = firstNumber(stats, "duration_ms", "durationMs");
        // A failed turn's result is what went wrong, as Claude Code's is.
        out.add(new AgentEvent.TurnEnd(isError, failure.or(() -> lastMessage), Optional.empty(), duration));
    }

    private static void usage(JsonNode stats, Optional<String> usedModel, List<AgentEvent> out) {
        long prompt = tokens(stats, PROMPT);
        long cached = Math.min(prompt, tokens(stats, CACHED));
        out.add(new AgentEvent.Usage(prompt - cached, tokens(stats, OUTPUT), cached, 0, usedModel, Optional.empty()));
    }

    private static long tokens(JsonNode stats, String[] names) {
        if (firstNumber(stats, names).isPresent()) {
            return count(stats, names);
        }
        long sum = 0;
        for (JsonNode perModel : stats.path("models")) {
            JsonNode tokens = perModel.has("tokens") ? perModel.path("tokens") : perModel;
            sum += count(tokens, names);
        }
        return sum;
    }
}
