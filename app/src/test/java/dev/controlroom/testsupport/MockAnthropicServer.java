package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Anthropic Messages API as Claude Code (2.1.x, print mode) uses it, playing a {@link Script}.
 *
 * <p>What the real CLI does, and how this server answers:
 * <ul>
 * <li>{@code HEAD /} first, a connectivity probe: 200.</li>
 * <li>{@code POST /v1/messages?beta=true} with {@code stream: true} for every model call: SSE
 *     ({@code message_start}, {@code ping}, {@code content_block_start/delta/stop} for text and
 *     {@code tool_use} with {@code input_json_delta}, {@code message_delta} with stop reason and
 *     usage, {@code message_stop}). The turn played is the number of assistant messages in
 *     {@code messages}; the history also holds {@code role: "system"} messages (the
 *     mid-conversation-system beta), which do not count. Non-streaming requests get the same
 *     answer as one JSON message.</li>
 * <li>Auxiliary calls that are not the conversation: a session title (empty {@code tools},
 *     {@code output_config.format} a JSON schema with a {@code title}), asked for by print mode
 *     unless {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC} is set, and by the interactive TUI
 *     even then, at the same time as the first turn; subscribers also get a {@code "quota"} check
 *     with {@code max_tokens: 1}. A request with no tools or with a
 *     structured-output format is auxiliary: it gets a small valid answer (JSON filling the
 *     schema's string fields) and never consumes a turn.</li>
 * <li>{@code /v1/messages/count_tokens}: a rough count.</li>
 * <li>Errors: {@code {"type":"error","error":{type,message}}} with a {@code request-id} header;
 *     the CLI shows it as {@code API Error: STATUS MESSAGE}, exits 1, and honours
 *     {@code retry-after} when it retries. Its {@code rate_limit_event} comes only from the
 *     {@code anthropic-ratelimit-unified-*} headers of claude.ai subscriptions, never with an
 *     API key, so the 429 here carries the API-key {@code anthropic-ratelimit-requests-*} ones.</li>
 * </ul>
 */
public final class MockAnthropicServer extends MockModelServer {
    private final AtomicLong messageIds = new AtomicLong();

    private MockAnthropicServer(Script script) throws IOException {
        super("mock-anthropic", script);
    }

    public static MockAnthropicServer start(Script script) throws IOException {
        return new MockAnthropicServer(script);
    }

    /** {@code ANTHROPIC_BASE_URL}: the origin without {@code /v1}, which the CLI appends itself. */
    public String baseUrl() {
        return origin().toString();
    }

    /** The number of assistant messages in a request's history: the turn it asks for. */
    public static int assistantMessages(JsonNode request) {
        int count = 0;
        for (JsonNode message : request.path("messages")) {
            if ("assistant".equals(message.path("role").asText())) {
                count++;
            }
        }
        return count;
    }

    /** All text of a request's last user message (text blocks and tool results), for assertions. */
    public static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                return textOf(message.path("content"));
            }
        }
        return "";
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (method.equals("HEAD")) {
            sendEmpty(exchange, 200);
        } else if (method.equals("POST") && path.equals("/v1/messages/count_tokens")) {
            JsonNode body = readJson(exchange);
            sendJson(exchange, 200, JSON.createObjectNode().put("input_tokens", body.toString().length() / 4), Map.of());
        } else if (method.equals("POST") && path.equals("/v1/messages")) {
            answerMessages(exchange, readJson(exchange));
        } else {
            sendError(exchange, 404, "not_found_error", "mock has no " + method + " " + path);
        }
    }

    @Override
    protected ObjectNode errorBody(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        return body.put("request_id", "req_mock");
    }

    private void answerMessages(HttpExchange exchange, JsonNode request) throws IOException {
        boolean conversation = isConversation(request);
        record(request, conversation);
        if (!conversation) {
            answer(exchange, request, auxiliaryReply(request), -1);
            return;
        }
        int index = assistantMessages(request);
        Optional<Turn> turn = turn(index);
        if (turn.isEmpty()) {
            sendError(exchange, 500, "api_error", "mock script has no turn " + index);
            return;
        }
        switch (turn.get()) {
            case Turn.Reply reply -> answer(exchange, request, reply, index);
            case Turn.HttpError error -> sendJson(exchange, error.status(), errorBody(error.type(), error.message()),
                    errorHeaders(error));
            case Turn.StreamError error -> failStream(exchange, request, error);
            case Turn.EmptyStream _ -> emptyStream(exchange, request);
            case Turn.Hang _ -> hang();
            case Turn.Paced paced -> paced(paced, r -> answer(exchange, request, r, index));
            case Turn.Attempts _ -> throw new IllegalStateException("attempts are resolved by turn()");
        }
    }

    /** The main conversation always offers tools and never asks for a structured answer. */
    private static boolean isConversation(JsonNode request) {
        return !request.path("tools").isEmpty() && request.path("output_config").path("format").isMissingNode();
    }

    private static Turn.Reply auxiliaryReply(JsonNode request) {
        JsonNode schema = request.path("output_config").path("format").path("schema");
        if (schema.isMissingNode()) {
            return Turn.text("Mock answer").withUsage(1, 1);
        }
        ObjectNode filled = JSON.createObjectNode();
        schema.path("properties").properties().forEach(property -> {
            if ("string".equals(property.getValue().path("type").asText())) {
                filled.put(property.getKey(), "Mock " + property.getKey());
            }
        });
        return Turn.text(filled.toString()).withUsage(1, 1);
    }

    /** Where the CLI works, as its system prompt tells the model ("Primary working directory: ..."). */
    private void answer(HttpExchange exchange, JsonNode request, Turn.Reply scripted, int turnIndex) throws IOException {
        Turn.Reply reply = withWorkingDirectory(request, scripted);
        String id = "msg_mock_" + messageIds.incrementAndGet();
        String model = request.path("model").asText("claude-mock");
        if (!request.path("stream").asBoolean(false)) {
            ObjectNode message = messageShell(id, model);
            ArrayNode content = message.putArray("content");
            int index = 0;
            for (Turn.Block block : reply.blocks()) {
                content.add(contentBlock(block, turnIndex, index++, true));
            }
            message.put("stop_reason", stopReason(reply)).set("usage", usage(reply.usage(), reply.usage().outputTokens()));
            sendJson(exchange, 200, message, Map.of("request-id", "req_mock"));
            return;
        }
        EventStream events = new EventStream(exchange);
        events.send("message_start", startEvent(id, model, reply.usage()));
        events.send("ping", JSON.createObjectNode().put("type", "ping"));
        int index = 0;
        for (Turn.Block block : reply.blocks()) {
            streamBlock(events, block, turnIndex, index++);
        }
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        delta.set("usage", usage(reply.usage(), reply.usage().outputTokens()));
        events.send("message_delta", delta);
        events.send("message_stop", JSON.createObjectNode().put("type", "message_stop"));
        events.end();
    }

    private static void streamBlock(EventStream events, Turn.Block block, int turnIndex, int index) throws IOException {
        ObjectNode start = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        start.set("content_block", contentBlock(block, turnIndex, index, false));
        events.send("content_block_start", start);
        for (ObjectNode delta : switch (block) {
            case Turn.Text text -> halves(text.text()).stream()
                    .map(piece -> JSON.createObjectNode().put("type", "text_delta").put("text", piece)).toList();
            case Turn.ToolCall call -> halves(JSON.valueToTree(call.input()).toString()).stream()
                    .map(piece -> JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", piece))
                    .toList();
        }) {
            ObjectNode event = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
            event.set("delta", delta);
            events.send("content_block_delta", event);
        }
        events.send("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
    }

    /** A streamed block starts empty; a whole message carries its full content. */
    private static ObjectNode contentBlock(Turn.Block block, int turnIndex, int index, boolean complete) {
        return switch (block) {
            case Turn.Text text -> JSON.createObjectNode().put("type", "text").put("text", complete ? text.text() : "");
            case Turn.ToolCall call -> {
                ObjectNode node = JSON.createObjectNode().put("type", "tool_use")
                        .put("id", "toolu_mock_" + turnIndex + "_" + index).put("name", call.name());
                node.set("input", complete ? JSON.valueToTree(call.input()) : JSON.createObjectNode());
                yield node;
            }
        };
    }

    private void failStream(HttpExchange exchange, JsonNode request, Turn.StreamError error) throws IOException {
        EventStream events = new EventStream(exchange);
        String id = "msg_mock_" + messageIds.incrementAndGet();
        events.send("message_start", startEvent(id, request.path("model").asText("claude-mock"), Turn.Usage.DEFAULT));
        events.send("error", errorBody(error.type(), error.message()));
        events.end();
    }

    private void emptyStream(HttpExchange exchange, JsonNode request) throws IOException {
        EventStream events = new EventStream(exchange);
        events.send("message_start", startEvent("msg_mock_" + messageIds.incrementAndGet(), request.path("model").asText("claude-mock"),
                Turn.Usage.DEFAULT));
        events.end();
    }

    private static ObjectNode startEvent(String id, String model, Turn.Usage usage) {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = messageShell(id, model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.set("usage", usage(usage, 1));
        start.set("message", message);
        return start;
    }

    private static ObjectNode messageShell(String id, String model) {
        ObjectNode message = JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putNull("stop_sequence");
        return message;
    }

    private static ObjectNode usage(Turn.Usage usage, int outputTokens) {
        return JSON.createObjectNode()
                .put("input_tokens", usage.inputTokens())
                .put("cache_creation_input_tokens", usage.cacheCreationInputTokens())
                .put("cache_read_input_tokens", usage.cacheReadInputTokens())
                .put("output_tokens", outputTokens);
    }

    private static String stopReason(Turn.Reply reply) {
        return reply.callsTools() ? "tool_use" : "end_turn";
    }

    private static Map<String, String> errorHeaders(Turn.HttpError error) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("request-id", "req_mock");
        if (error.status() == 429) {
            String reset = Instant.now().plus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
            headers.put("anthropic-ratelimit-requests-limit", "50");
            headers.put("anthropic-ratelimit-requests-remaining", "0");
            headers.put("anthropic-ratelimit-requests-reset", reset);
        }
        headers.putAll(error.headers());
        return headers;
    }

    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText()).append('\n');
                case "tool_result" -> text.append(textOf(block.path("content"))).append('\n');
                default -> {
                }
            }
        }
        return text.toString();
    }
}
