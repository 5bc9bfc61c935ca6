package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI chat completions API ({@code POST /v1/chat/completions}) as OpenCode (1.18, a custom
 * provider on {@code @ai-sdk/openai-compatible}) and Qwen Code (0.15, {@code OPENAI_BASE_URL}) use
 * it, playing a {@link Script}.
 *
 * <p>What the real CLIs do, and how this server answers:
 * <ul>
 * <li>Conversation calls offer {@code tools} and ask for {@code stream: true} with
 *     {@code stream_options.include_usage}: SSE of bare {@code data:} lines, each a
 *     {@code chat.completion.chunk} (text deltas, {@code tool_calls} deltas with the arguments in
 *     two pieces), a last chunk with {@code finish_reason} ({@code tool_calls} or {@code stop}),
 *     one with {@code usage} ({@code prompt_tokens} including
 *     {@code prompt_tokens_details.cached_tokens}, {@code completion_tokens}) and {@code [DONE]}.</li>
 * <li>The turn played is the number of assistant messages in {@code messages}, less Qwen Code's
 *     {@value #CONTEXT_ACKNOWLEDGEMENT} (a fixed answer it puts after its environment message at
 *     the start of every history).</li>
 * <li>Auxiliary calls offer no tools: OpenCode asks for a session title at the same time as the
 *     first turn. They get a short text and never consume a turn.</li>
 * <li>Errors: {@code {"error":{message,type,code,param}}}. OpenCode prints an {@code error} event
 *     and exits 1; Qwen Code 0.15 answers {@code [API Error: STATUS MESSAGE]} as the assistant's
 *     text and exits 0.</li>
 * </ul>
 */
public final class MockChatServer extends MockModelServer {
    public static final String CONTEXT_ACKNOWLEDGEMENT = "Got it. Thanks for the context!";

    private final AtomicLong completionIds = new AtomicLong();

    private MockChatServer(Script script) throws IOException {
        super("mock-chat", script);
    }

    public static MockChatServer start(Script script) throws IOException {
        return new MockChatServer(script);
    }

    /** A base URL with {@code /v1}, to which the clients append {@code /chat/completions}. */
    public String baseUrl() {
        return origin() + "/v1";
    }

    /** The number of the model's earlier answers in a request's {@code messages}: the turn it asks for. */
    public static int assistantMessages(JsonNode request) {
        int count = 0;
        for (JsonNode message : request.path("messages")) {
            if ("assistant".equals(message.path("role").asText())
                    && !CONTEXT_ACKNOWLEDGEMENT.equals(message.path("content").asText())) {
                count++;
            }
        }
        return count;
    }

    /** The text of a request's last user message (a string or text parts), for assertions. */
    public static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                if (content.isTextual()) {
                    return content.asText();
                }
                StringBuilder text = new StringBuilder();
                content.forEach(part -> text.append(part.path("text").asText()).append('\n'));
                return text.toString();
            }
        }
        return "";
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!method.equals("POST") || !path.equals("/v1/chat/completions")) {
            sendError(exchange, 404, "invalid_request_error", "mock has no " + method + " " + path);
            return;
        }
        JsonNode request = readJson(exchange);
        boolean conversation = !request.path("tools").isEmpty();
        record(request, conversation);
        if (!conversation) {
            answer(exchange, request, Turn.text("Mock title").withUsage(1, 1), -1);
            return;
        }
        int index = assistantMessages(request);
        Optional<Turn> turn = turn(index);
        if (turn.isEmpty()) {
            sendError(exchange, 500, "server_error", "mock script has no turn " + index);
            return;
        }
        switch (turn.get()) {
            case Turn.Reply reply -> answer(exchange, request, withWorkingDirectory(request, reply), index);
            case Turn.HttpError error -> sendJson(exchange, error.status(), errorBody(error.type(), error.message()), error.headers());
            case Turn.StreamError error -> {
                EventStream events = new EventStream(exchange);
                events.data(errorBody(error.type(), error.message()));
                events.end();
            }
            case Turn.EmptyStream _ -> {
                EventStream events = new EventStream(exchange);
                events.data(chunk("chatcmpl-mock-empty", request.path("model").asText("mock-model"),
                        JSON.createObjectNode().put("role", "assistant"), null));
                events.end();
            }
            case Turn.Hang _ -> hang();
            case Turn.Paced paced -> paced(paced, r -> answer(exchange, request, withWorkingDirectory(request, r), index));
            case Turn.Attempts _ -> throw new IllegalStateException("attempts are resolved by turn()");
        }
    }

    @Override
    protected ObjectNode errorBody(String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).put("code", type).putNull("param");
        return body;
    }

    private void answer(HttpExchange exchange, JsonNode request, Turn.Reply reply, int turnIndex) throws IOException {
        String id = "chatcmpl-mock-" + completionIds.incrementAndGet();
        String model = request.path("model").asText("mock-model");
        String finish = reply.callsTools() ? "tool_calls" : "stop";
        if (!request.path("stream").asBoolean(false)) {
            sendJson(exchange, 200, completion(id, model, reply, turnIndex, finish), Map.of());
            return;
        }
        EventStream events = new EventStream(exchange);
        int call = 0;
        boolean first = true;
        for (Turn.Block block : reply.blocks()) {
            switch (block) {
                case Turn.Text text -> {
                    for (String piece : halves(text.text())) {
                        ObjectNode delta = JSON.createObjectNode();
                        if (first) {
                            delta.put("role", "assistant");
                        }
                        events.data(chunk(id, model, delta.put("content", piece), null));
                        first = false;
                    }
                }
                case Turn.ToolCall toolCall -> {
                    List<String> pieces = halves(JSON.valueToTree(toolCall.input()).toString());
                    ObjectNode start = JSON.createObjectNode();
                    if (first) {
                        start.put("role", "assistant").putNull("content");
                    }
                    start.putArray("tool_calls").addObject().put("index", call).put("id", "call_mock_" + turnIndex + "_" + call)
                            .put("type", "function").putObject("function").put("name", toolCall.name()).put("arguments", pieces.get(0));
                    events.data(chunk(id, model, start, null));
                    ObjectNode rest = JSON.createObjectNode();
                    rest.putArray("tool_calls").addObject().put("index", call).putObject("function").put("arguments", pieces.get(1));
                    events.data(chunk(id, model, rest, null));
                    call++;
                    first = false;
                }
            }
        }
        events.data(chunk(id, model, JSON.createObjectNode(), finish));
        ObjectNode usage = chunkBase(id, model);
        usage.putArray("choices");
        usage.set("usage", usage(reply.usage()));
        events.data(usage);
        events.data("[DONE]");
        events.end();
    }

    private ObjectNode completion(String id, String model, Turn.Reply reply, int turnIndex, String finish) {
        ObjectNode body = chunkBase(id, model).put("object", "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", finish);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        int call = 0;
        for (Turn.Block block : reply.blocks()) {
            switch (block) {
                case Turn.Text t -> text.append(t.text());
                case Turn.ToolCall c -> message.withArray("tool_calls").addObject().put("id", "call_mock_" + turnIndex + "_" + call++)
                        .put("type", "function").putObject("function").put("name", c.name())
                        .put("arguments", JSON.valueToTree(c.input()).toString());
            }
        }
        message.put("content", text.toString());
        body.set("usage", usage(reply.usage()));
        return body;
    }

    private static ObjectNode chunk(String id, String model, ObjectNode delta, String finish) {
        ObjectNode chunk = chunkBase(id, model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private static ObjectNode chunkBase(String id, String model) {
        return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", Instant.now().getEpochSecond()).put("model", model);
    }

    private static ObjectNode usage(Turn.Usage usage) {
        int prompt = usage.inputTokens() + usage.cacheReadInputTokens();
        ObjectNode counts = JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", usage.outputTokens())
                .put("total_tokens", prompt + usage.outputTokens());
        counts.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadInputTokens());
        return counts;
    }
}
