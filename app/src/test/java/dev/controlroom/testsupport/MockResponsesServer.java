package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The OpenAI Responses API as Codex ({@code codex exec}, 0.169) uses it with a custom provider,
 * playing a {@link Script}.
 *
 * <p>What the real CLI does, and how this server answers:
 * <ul>
 * <li>Only {@code POST /v1/responses}, always {@code stream: true}, no probe and no auxiliary
 *     calls. The whole history travels in {@code input} ({@code store: false}): developer and user
 *     messages, then earlier answers as {@code message} (role assistant), {@code function_call} and
 *     {@code reasoning} items, each call followed by its {@code function_call_output}. The turn
 *     played is the number of earlier answers: runs of consecutive model items in {@code input}.</li>
 * <li>Answers are SSE: {@code response.created}, {@code response.in_progress}, per item
 *     {@code response.output_item.added}, text or argument deltas, {@code response.output_item.done},
 *     then {@code response.completed} with {@code usage} ({@code input_tokens} including
 *     {@code input_tokens_details.cached_tokens} and {@code cache_write_tokens}, {@code output_tokens}).</li>
 * <li>Its shell tool is the function {@value #SHELL_TOOL} with arguments {@code {"cmd": "..."}};
 *     Codex runs it as {@code /bin/bash -lc CMD} and reports a {@code command_execution} item.</li>
 * <li>Errors: {@code {"error":{message,type,code,param}}}. A 5xx is shown as a generic "high
 *     demand" message, a 4xx with the body; {@code response.failed} mid-stream as "stream
 *     disconnected before completion: MESSAGE". Either way {@code turn.failed} and exit 1.</li>
 * </ul>
 */
public final class MockResponsesServer extends MockModelServer {
    /** Codex's shell tool: {@code Turn.toolUse(SHELL_TOOL, Map.of("cmd", "make test"))}. */
    public static final String SHELL_TOOL = "exec_command";

    private static final Set<String> MODEL_ITEMS = Set.of("function_call", "custom_tool_call", "reasoning",
            "local_shell_call", "web_search_call", "tool_search_call");

    private final AtomicLong responseIds = new AtomicLong();

    private MockResponsesServer(Script script) throws IOException {
        super("mock-responses", script);
    }

    public static MockResponsesServer start(Script script) throws IOException {
        return new MockResponsesServer(script);
    }

    /** A provider's {@code base_url}: the origin with {@code /v1}, to which Codex appends {@code /responses}. */
    public String baseUrl() {
        return origin() + "/v1";
    }

    /** The number of earlier model answers in a request's {@code input}: the turn it asks for. */
    public static int earlierAnswers(JsonNode request) {
        int answers = 0;
        boolean inAnswer = false;
        for (JsonNode item : request.path("input")) {
            boolean fromModel = MODEL_ITEMS.contains(item.path("type").asText())
                    || "assistant".equals(item.path("role").asText());
            if (fromModel && !inAnswer) {
                answers++;
            }
            inAnswer = fromModel;
        }
        return answers;
    }

    /** The text of a request's last user message, for assertions. */
    public static String lastUserText(JsonNode request) {
        JsonNode input = request.path("input");
        for (int i = input.size() - 1; i >= 0; i--) {
            JsonNode item = input.get(i);
            if ("user".equals(item.path("role").asText())) {
                StringBuilder text = new StringBuilder();
                item.path("content").forEach(part -> text.append(part.path("text").asText()).append('\n'));
                return text.toString();
            }
        }
        return "";
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!method.equals("POST") || !path.equals("/v1/responses")) {
            sendError(exchange, 404, "invalid_request_error", "mock has no " + method + " " + path);
            return;
        }
        JsonNode request = readJson(exchange);
        record(request, true);
        int index = earlierAnswers(request);
        Optional<Turn> turn = turn(index);
        if (turn.isEmpty()) {
            sendError(exchange, 500, "server_error", "mock script has no turn " + index);
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

    @Override
    protected ObjectNode errorBody(String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).put("code", type).putNull("param");
        return body;
    }

    private void answer(HttpExchange exchange, JsonNode request, Turn.Reply reply, int turnIndex) throws IOException {
        ObjectNode response = response(request, "in_progress");
        List<ObjectNode> items = IntStream.range(0, reply.blocks().size())
                .mapToObj(index -> item(reply.blocks().get(index), turnIndex, index)).toList();
        if (!request.path("stream").asBoolean(false)) {
            complete(response, items, reply.usage());
            sendJson(exchange, 200, response, Map.of());
            return;
        }
        EventStream events = new EventStream(exchange);
        Sequence sequence = new Sequence(events);
        sequence.send("response.created", JSON.createObjectNode().set("response", response.deepCopy()));
        sequence.send("response.in_progress", JSON.createObjectNode().set("response", response.deepCopy()));
        for (int index = 0; index < items.size(); index++) {
            streamItem(sequence, items.get(index), index);
        }
        complete(response, items, reply.usage());
        sequence.send("response.completed", JSON.createObjectNode().set("response", response));
        events.end();
    }

    private static void streamItem(Sequence sequence, ObjectNode item, int outputIndex) throws IOException {
        String id = item.path("id").asText();
        ObjectNode started = item.deepCopy().put("status", "in_progress");
        boolean message = item.path("type").asText().equals("message");
        String whole = message ? item.path("content").path(0).path("text").asText() : item.path("arguments").asText();
        if (message) {
            started.putArray("content");
        } else {
            started.put("arguments", "");
        }
        sequence.send("response.output_item.added", itemEvent(outputIndex).set("item", started));
        if (message) {
            ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", "");
            part.putArray("annotations");
            sequence.send("response.content_part.added", partEvent(id, outputIndex).set("part", part));
            for (String piece : halves(whole)) {
                sequence.send("response.output_text.delta", partEvent(id, outputIndex).put("delta", piece));
            }
            sequence.send("response.output_text.done", partEvent(id, outputIndex).put("text", whole));
            sequence.send("response.content_part.done",
                    partEvent(id, outputIndex).set("part", item.path("content").path(0).deepCopy()));
        } else {
            for (String piece : halves(whole)) {
                sequence.send("response.function_call_arguments.delta",
                        itemEvent(outputIndex).put("item_id", id).put("delta", piece));
            }
            sequence.send("response.function_call_arguments.done",
                    itemEvent(outputIndex).put("item_id", id).put("arguments", whole));
        }
        sequence.send("response.output_item.done", itemEvent(outputIndex).set("item", item));
    }

    private void failStream(HttpExchange exchange, JsonNode request, Turn.StreamError error) throws IOException {
        EventStream events = new EventStream(exchange);
        Sequence sequence = new Sequence(events);
        ObjectNode response = response(request, "in_progress");
        sequence.send("response.created", JSON.createObjectNode().set("response", response.deepCopy()));
        response.put("status", "failed").putObject("error").put("code", error.type()).put("message", error.message());
        sequence.send("response.failed", JSON.createObjectNode().set("response", response));
        events.end();
    }

    private void emptyStream(HttpExchange exchange, JsonNode request) throws IOException {
        EventStream events = new EventStream(exchange);
        new Sequence(events).send("response.created", JSON.createObjectNode().set("response", response(request, "in_progress")));
        events.end();
    }

    private ObjectNode response(JsonNode request, String status) {
        ObjectNode response = JSON.createObjectNode()
                .put("id", "resp_mock_" + responseIds.incrementAndGet())
                .put("object", "response")
                .put("created_at", Instant.now().getEpochSecond())
                .put("status", status)
                .put("model", request.path("model").asText("gpt-mock"));
        response.putArray("output");
        return response;
    }

    private static void complete(ObjectNode response, List<ObjectNode> items, Turn.Usage usage) {
        response.put("status", "completed");
        ArrayNode output = response.putArray("output");
        items.forEach(output::add);
        ObjectNode counts = response.putObject("usage").put("input_tokens", usage.inputTokens());
        counts.putObject("input_tokens_details").put("cached_tokens", usage.cacheReadInputTokens())
                .put("cache_write_tokens", usage.cacheCreationInputTokens());
        counts.put("output_tokens", usage.outputTokens());
        counts.putObject("output_tokens_details").put("reasoning_tokens", 0);
        counts.put("total_tokens", usage.inputTokens() + usage.outputTokens());
    }

    private static ObjectNode item(Turn.Block block, int turnIndex, int index) {
        String suffix = turnIndex + "_" + index;
        return switch (block) {
            case Turn.Text text -> {
                ObjectNode item = JSON.createObjectNode().put("type", "message").put("id", "msg_mock_" + suffix)
                        .put("status", "completed").put("role", "assistant");
                ObjectNode part = item.putArray("content").addObject().put("type", "output_text").put("text", text.text());
                part.putArray("annotations");
                yield item;
            }
            case Turn.ToolCall call -> JSON.createObjectNode().put("type", "function_call").put("id", "fc_mock_" + suffix)
                    .put("status", "completed").put("call_id", "call_mock_" + suffix).put("name", call.name())
                    .put("arguments", JSON.valueToTree(call.input()).toString());
        };
    }

    private static ObjectNode itemEvent(int outputIndex) {
        return JSON.createObjectNode().put("output_index", outputIndex);
    }

    private static ObjectNode partEvent(String itemId, int outputIndex) {
        return JSON.createObjectNode().put("item_id", itemId).put("output_index", outputIndex).put("content_index", 0);
    }

    private static Map<String, String> errorHeaders(Turn.HttpError error) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (error.status() == 429) {
            headers.put("x-ratelimit-limit-requests", "50");
            headers.put("x-ratelimit-remaining-requests", "0");
            headers.put("x-ratelimit-reset-requests", "60s");
        }
        headers.putAll(error.headers());
        return headers;
    }

    /** Numbers the events as the real API does ({@code sequence_number}) and names each by its type. */
    private static final class Sequence {
        private final EventStream events;
        private int next;

        Sequence(EventStream events) {
            this.events = events;
        }

        void send(String type, ObjectNode data) throws IOException {
            ObjectNode event = JSON.createObjectNode().put("type", type).put("sequence_number", next++);
            event.setAll(data);
            events.send(type, event);
        }
    }
}
