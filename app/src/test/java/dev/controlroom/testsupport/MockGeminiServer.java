package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The Gemini API ({@code generativelanguage}, {@code v1beta}) as Gemini CLI (0.61, headless) uses it
 * with an API key and {@code GOOGLE_GEMINI_BASE_URL}, playing a {@link Script}.
 *
 * <p>What the real CLI does, and how this server answers:
 * <ul>
 * <li>Every conversation call is {@code POST /v1beta/models/MODEL:streamGenerateContent?alt=sse}
 *     with the key in {@code x-goog-api-key}; the answer is SSE of bare {@code data:} lines (an
 *     {@code event:} line breaks the SDK's reader), each a {@code GenerateContentResponse} whose
 *     {@code candidates[0].content.parts} hold {@code text} or a {@code functionCall{name,args}};
 *     the last carries {@code finishReason} and {@code usageMetadata} ({@code promptTokenCount}
 *     including {@code cachedContentTokenCount}, {@code candidatesTokenCount}). The turn played is
 *     the number of {@code role: "model"} entries in {@code contents}; a tool's result comes back
 *     as a {@code functionResponse} part.</li>
 * <li>Auxiliary calls are plain {@code :generateContent} (no stream): with the model left at
 *     {@code auto}, a small model is first asked to rate the prompt's complexity against a JSON
 *     schema. They get a small valid answer (the schema filled in) and never consume a turn.</li>
 * <li>Errors: {@code {"error":{code,message,status}}}; the CLI ends with a {@code result} of
 *     status {@code error} whose message is {@code [API Error: BODY]}, and a non-zero exit code.</li>
 * </ul>
 */
public final class MockGeminiServer extends MockModelServer {
    private MockGeminiServer(Script script) throws IOException {
        super("mock-gemini", script);
    }

    public static MockGeminiServer start(Script script) throws IOException {
        return new MockGeminiServer(script);
    }

    /** {@code GOOGLE_GEMINI_BASE_URL}: the origin, to which the SDK appends {@code /v1beta/models/...}. */
    public String baseUrl() {
        return origin().toString();
    }

    /** The number of model entries in a request's history: the turn it asks for. */
    public static int modelTurns(JsonNode request) {
        int count = 0;
        for (JsonNode content : request.path("contents")) {
            if ("model".equals(content.path("role").asText())) {
                count++;
            }
        }
        return count;
    }

    /** All text parts of a request's last user entry, for assertions. */
    public static String lastUserText(JsonNode request) {
        JsonNode contents = request.path("contents");
        for (int i = contents.size() - 1; i >= 0; i--) {
            JsonNode content = contents.get(i);
            if ("user".equals(content.path("role").asText())) {
                StringBuilder text = new StringBuilder();
                content.path("parts").forEach(part -> text.append(part.path("text").asText()).append('\n'));
                return text.toString();
            }
        }
        return "";
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!method.equals("POST") || !path.startsWith("/v1beta/models/")) {
            sendError(exchange, 404, "NOT_FOUND", "mock has no " + method + " " + path);
            return;
        }
        JsonNode request = readJson(exchange);
        String model = path.substring("/v1beta/models/".length(), path.indexOf(':') > 0 ? path.indexOf(':') : path.length());
        boolean conversation = path.endsWith(":streamGenerateContent");
        record(request, conversation);
        if (!conversation) {
            sendJson(exchange, 200, response(auxiliaryParts(request), "STOP", new Turn.Usage(1, 1, 0, 0), model), Map.of());
            return;
        }
        int index = modelTurns(request);
        Optional<Turn> turn = turn(index);
        if (turn.isEmpty()) {
            sendError(exchange, 500, "INTERNAL", "mock script has no turn " + index);
            return;
        }
        switch (turn.get()) {
            case Turn.Reply reply -> answer(exchange, withWorkingDirectory(request, reply), model);
            case Turn.HttpError error -> sendJson(exchange, error.status(), errorBody(error.status(), error.type(), error.message()),
                    error.headers());
            case Turn.StreamError error -> {
                EventStream events = new EventStream(exchange);
                events.data(errorBody(500, error.type(), error.message()));
                events.end();
            }
            case Turn.EmptyStream _ -> new EventStream(exchange).end();
            case Turn.Hang _ -> hang();
            case Turn.Paced paced -> paced(paced, r -> answer(exchange, withWorkingDirectory(request, r), model));
            case Turn.Attempts _ -> throw new IllegalStateException("attempts are resolved by turn()");
        }
    }

    @Override
    protected ObjectNode errorBody(String type, String message) {
        return errorBody(500, type, message);
    }

    private static ObjectNode errorBody(int code, String status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).put("status", status);
        return body;
    }

    /** Text in two chunks (the CLI joins them), each tool call in one, the finish reason and usage on the last. */
    private static void answer(HttpExchange exchange, Turn.Reply reply, String model) throws IOException {
        EventStream events = new EventStream(exchange);
        int last = reply.blocks().size() - 1;
        for (int i = 0; i <= last; i++) {
            boolean end = i == last;
            switch (reply.blocks().get(i)) {
                case Turn.Text text -> {
                    var pieces = halves(text.text());
                    events.data(response(textPart(pieces.get(0)), null, null, model));
                    events.data(response(textPart(pieces.get(1)), end ? "STOP" : null, end ? reply.usage() : null, model));
                }
                case Turn.ToolCall call -> {
                    ArrayNode parts = JSON.createArrayNode();
                    parts.addObject().putObject("functionCall").put("name", call.name()).set("args", JSON.valueToTree(call.input()));
                    events.data(response(parts, end ? "STOP" : null, end ? reply.usage() : null, model));
                }
            }
        }
        events.end();
    }

    private static ArrayNode textPart(String text) {
        ArrayNode parts = JSON.createArrayNode();
        parts.addObject().put("text", text);
        return parts;
    }

    private static ObjectNode response(ArrayNode parts, String finishReason, Turn.Usage usage, String model) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        candidate.putObject("content").put("role", "model").set("parts", parts);
        candidate.put("index", 0);
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        if (usage != null) {
            int prompt = usage.inputTokens() + usage.cacheReadInputTokens();
            ObjectNode counts = response.putObject("usageMetadata").put("promptTokenCount", prompt)
                    .put("candidatesTokenCount", usage.outputTokens()).put("totalTokenCount", prompt + usage.outputTokens());
            if (usage.cacheReadInputTokens() > 0) {
                counts.put("cachedContentTokenCount", usage.cacheReadInputTokens());
            }
        }
        return response.put("modelVersion", model);
    }

    /** JSON filling the requested schema (strings "mock", numbers 1, booleans false), or plain text. */
    private static ArrayNode auxiliaryParts(JsonNode request) {
        JsonNode config = request.path("generationConfig");
        JsonNode schema = config.has("responseJsonSchema") ? config.path("responseJsonSchema") : config.path("responseSchema");
        return textPart(schema.isMissingNode() ? "Mock answer" : filled(schema).toString());
    }

    private static JsonNode filled(JsonNode schema) {
        String type = schema.path("type").asText("object").toLowerCase(java.util.Locale.ROOT);
        return switch (type) {
            case "string" -> JSON.getNodeFactory().textNode(schema.path("enum").path(0).asText("mock"));
            case "integer", "number" -> JSON.getNodeFactory().numberNode(1);
            case "boolean" -> JSON.getNodeFactory().booleanNode(false);
            case "array" -> JSON.createArrayNode();
            default -> {
                ObjectNode object = JSON.createObjectNode();
                schema.path("properties").properties().forEach(p -> object.set(p.getKey(), filled(p.getValue())));
                yield object;
            }
        };
    }
}
