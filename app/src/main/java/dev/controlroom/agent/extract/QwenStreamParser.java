package dev.controlroom.agent.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.controlroom.agent.extract.JsonFields.content;
import static dev.controlroom.agent.extract.JsonFields.count;
import static dev.controlroom.agent.extract.JsonFields.json;
import static dev.controlroom.agent.extract.JsonFields.number;
import static dev.controlroom.agent.extract.JsonFields.text;

/**
 * Qwen Code's {@code --output-format stream-json}: Claude Code's line shapes ({@code system/init},
 * {@code assistant}, {@code user} tool results, {@code result}) with Gemini CLI's tools
 * ({@code write_file}, {@code edit}), the model named on each assistant message, and no cost.
 *
 * <p>A failed model call is not an error in its stream (0.15): the CLI answers with the text
 * {@code [API Error: 400 ...]} as the assistant's message and ends with {@code subtype: success},
 * {@code is_error: false} and exit code 0. That text is read here as the failure it is.
 */
final class QwenStreamParser extends JsonLineParser {
    private static final Map<String, String> FILE_TOOLS = Map.of("write_file", "write", "edit", "update", "replace", "update");
    private static final Pattern API_ERROR = Pattern.compile("^\\[API Error: .*]$", Pattern.DOTALL);

    private Optional<String> model = Optional.empty();

    QwenStreamParser(Clock clock) {
        super(clock);
    }

    @Override
    void onEvent(String type, JsonNode event, List<AgentEvent> out) {
        switch (type) {
            case "system" -> {
                if (event.path("subtype").asText("").equals("init")) {
                    model = text(event, "model");
                    text(event, "session_id").ifPresent(id -> out.add(new AgentEvent.SessionStarted(id, model, text(event, "cwd"),
                            text(event, "qwen_code_version"))));
                }
            }
            case "assistant" -> assistant(event.path("message"), out);
            case "user" -> toolResults(event.path("message").path("content"), out);
            case "result" -> result(event, out);
            default -> { } // stream_event (partial messages) and whatever later versions add
        }
    }

    private void assistant(JsonNode message, List<AgentEvent> out) {
        text(message, "model").ifPresent(m -> model = Optional.of(m));
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text(block, "text").filter(t -> !isApiError(t)).ifPresent(t -> out.add(new AgentEvent.Message(t)));
                case "tool_use" -> toolUse(block, out);
                default -> { } // thinking
            }
        }
    }

    private static void toolUse(JsonNode block, List<AgentEvent> out) {
        String tool = block.path("name").asText("tool");
        JsonNode input = block.path("input");
        out.add(new AgentEvent.ToolCall(tool, json(input), text(block, "id")));
        String kind = FILE_TOOLS.get(tool);
        if (kind != null) {
            text(input, "file_path").or(() -> text(input, "absolute_path")).or(() -> text(input, "path"))
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

    /** The usage is the whole run's; its {@code input_tokens} include the cached ones, split off here. */
    private void result(JsonNode event, List<AgentEvent> out) {
        JsonNode usage = event.path("usage");
        long input = count(usage, "input_tokens");
        long cached = Math.min(input, count(usage, "cache_read_input_tokens"));
        out.add(new AgentEvent.Usage(input - cached, count(usage, "output_tokens"), cached, 0, model, Optional.empty()));

        Optional<String> result = text(event, "result");
        boolean apiError = result.filter(QwenStreamParser::isApiError).isPresent();
        boolean isError = apiError || event.path("is_error").asBoolean(false) || event.path("subtype").asText("").startsWith("error");
        if (isError) {
            String message = result.or(() -> text(event.path("error"), "message"))
                    .orElse("Qwen Code ended with " + event.path("subtype").asText("an error"));
            out.add(RateLimits.failure(message, message.contains("API Error: 429"), clock));
        }
        question(isError, result).ifPresent(out::add);
        Optional<Integer> turns = number(event, "num_turns").map(Long::intValue);
        out.add(new AgentEvent.TurnEnd(isError, result, turns, number(event, "duration_ms")));
    }

    private static boolean isApiError(String text) {
        return API_ERROR.matcher(text.strip()).matches();
    }
}
