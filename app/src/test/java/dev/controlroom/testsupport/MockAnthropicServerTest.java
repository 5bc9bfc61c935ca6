package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.testsupport.MockHttp.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.controlroom.testsupport.MockHttp.JSON;
import static dev.controlroom.testsupport.MockHttp.events;
import static dev.controlroom.testsupport.MockHttp.names;
import static dev.controlroom.testsupport.MockHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mock Anthropic server on its own, spoken to by a plain HTTP client shaped like Claude Code. */
@Timeout(30)
class MockAnthropicServerTest {
    private static final String TOOLS = "[{\"name\":\"Write\",\"input_schema\":{\"type\":\"object\"}}]";

    private static String conversation(String messages, boolean stream) {
        return "{\"model\":\"claude-test\",\"stream\":" + stream + ",\"tools\":" + TOOLS + ",\"messages\":" + messages + "}";
    }

    private static String firstPrompt(boolean stream) {
        return conversation("[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"system\",\"content\":\"context\"}]", stream);
    }

    private static URI messages(MockAnthropicServer server) {
        return URI.create(server.baseUrl() + "/v1/messages?beta=true");
    }

    @Test
    void connectivityProbeIsAnswered() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of())) {
            assertEquals(200, MockHttp.head(URI.create(server.baseUrl() + "/")).statusCode());
        }
    }

    @Test
    void streamedTurnSendsTextThenToolUseWithItsInputInJsonDeltas() throws Exception {
        Script script = Script.of(Turn.text("Writing.").andToolUse("Write", Map.of("file_path", "/tmp/x", "content", "x"))
                .withUsage(new Turn.Usage(120, 30, 1000, 200)));

        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            HttpResponse<String> response = post(messages(server), firstPrompt(true));

            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
            List<Event> events = events(response.body());
            assertEquals(List.of("message_start", "ping",
                    "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                    "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                    "message_delta", "message_stop"), names(events));
            JsonNode start = events.getFirst().data().path("message");
            assertEquals("claude-test", start.path("model").asText());
            assertEquals(120, start.path("usage").path("input_tokens").asInt());
            assertEquals(1000, start.path("usage").path("cache_read_input_tokens").asInt());
            assertEquals(200, start.path("usage").path("cache_creation_input_tokens").asInt());

            assertEquals("Writing.", joined(events, 0, "text"));
            JsonNode toolUse = events.get(6).data().path("content_block");
            assertEquals("tool_use", toolUse.path("type").asText());
            assertEquals("Write", toolUse.path("name").asText());
            assertEquals(JSON.valueToTree(Map.of("file_path", "/tmp/x", "content", "x")),
                    JSON.readTree(joined(events, 1, "partial_json")));

            JsonNode delta = events.get(10).data();
            assertEquals("tool_use", delta.path("delta").path("stop_reason").asText());
            assertEquals(30, delta.path("usage").path("output_tokens").asInt());
        }
    }

    @Test
    void theTurnPlayedIsTheNumberOfAssistantMessagesInTheHistory() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.text("first"), Turn.text("second")))) {
            String history = "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"system\",\"content\":\"context\"},"
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"first\"}]},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"and now?\"}]}]";

            JsonNode message = JSON.readTree(post(messages(server), conversation(history, false)).body());

            assertEquals("second", message.path("content").path(0).path("text").asText());
            assertEquals("end_turn", message.path("stop_reason").asText());
            assertEquals("and now?\n", MockAnthropicServer.lastUserText(server.requests().getFirst()));
        }
    }

    @Test
    void titleRequestIsAnsweredOutsideTheScriptAndConsumesNoTurn() throws Exception {
        String title = "{\"model\":\"claude-test\",\"stream\":true,\"tools\":[],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"<session>hi</session>\"}],"
                + "\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"title\":{\"type\":\"string\"}},\"required\":[\"title\"]}}}}";

        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.text("the real answer")))) {
            List<Event> titleEvents = events(post(messages(server), title).body());
            List<Event> answerEvents = events(post(messages(server), firstPrompt(true)).body());

            assertEquals("Mock title", JSON.readTree(joined(titleEvents, 0, "text")).path("title").asText());
            assertEquals("the real answer", joined(answerEvents, 0, "text"));
            assertEquals(2, server.requests().size());
            assertEquals(1, server.conversationRequests().size());
        }
    }

    @Test
    void rateLimitCarriesTheErrorBodyRetryAfterAndRateLimitHeaders() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.rateLimited(Duration.ofSeconds(3))))) {
            HttpResponse<String> response = post(messages(server), firstPrompt(true));

            assertEquals(429, response.statusCode());
            assertEquals("3", response.headers().firstValue("retry-after").orElseThrow());
            assertEquals("0", response.headers().firstValue("anthropic-ratelimit-requests-remaining").orElseThrow());
            JsonNode body = JSON.readTree(response.body());
            assertEquals("error", body.path("type").asText());
            assertEquals("rate_limit_error", body.path("error").path("type").asText());
        }
    }

    @Test
    void streamErrorStartsTheMessageAndThenSendsAnErrorEvent() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(
                Script.of(Turn.streamError("overloaded_error", "Overloaded")))) {
            List<Event> events = events(post(messages(server), firstPrompt(true)).body());

            assertEquals(List.of("message_start", "error"), names(events));
            assertEquals("overloaded_error", events.get(1).data().path("error").path("type").asText());
        }
    }

    @Test
    void retriesOfTheSameTurnGetTheNextAttemptAndTheLastOneRepeats() throws Exception {
        Script script = Script.of(Turn.onAttempts(Turn.httpError(529, "overloaded_error", "Overloaded"), Turn.text("ok")));

        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            assertEquals(529, post(messages(server), firstPrompt(false)).statusCode());
            assertEquals(200, post(messages(server), firstPrompt(false)).statusCode());
            assertEquals(200, post(messages(server), firstPrompt(false)).statusCode());
        }
    }

    @Test
    void aTurnBeyondTheScriptIsAServerErrorThatSaysSo() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of())) {
            HttpResponse<String> response = post(messages(server), firstPrompt(true));

            assertEquals(500, response.statusCode());
            assertTrue(response.body().contains("mock script has no turn 0"), response.body());
        }
    }

    @Test
    void tokenCountsAreAnswered() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of())) {
            HttpResponse<String> response = post(URI.create(server.baseUrl() + "/v1/messages/count_tokens?beta=true"),
                    firstPrompt(false));

            assertEquals(200, response.statusCode());
            assertTrue(JSON.readTree(response.body()).path("input_tokens").asInt() > 0);
        }
    }

    @Test
    void aHangingRequestBlocksNoOtherAndCloseReleasesIt() throws Exception {
        String secondTurn = conversation("[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"...\"},{\"role\":\"user\",\"content\":\"again\"}]", true);
        CompletableFuture<HttpResponse<String>> hanging;
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.hang(), Turn.text("still here")))) {
            hanging = MockHttp.postAsync(messages(server), firstPrompt(true));
            server.awaitConversationRequests(1, Duration.ofSeconds(5));

            assertEquals("still here", joined(events(post(messages(server), secondTurn).body()), 0, "text"));
            assertFalse(hanging.isDone());
        }
        ExecutionException ended = assertThrows(ExecutionException.class, () -> hanging.get(5, TimeUnit.SECONDS));
        assertTrue(ended.getCause() instanceof java.io.IOException, ended.toString());
    }

    /** The text or JSON of one content block, joined from its deltas. */
    private static String joined(List<Event> events, int blockIndex, String field) {
        StringBuilder joined = new StringBuilder();
        events.stream().filter(event -> event.name().equals("content_block_delta"))
                .filter(event -> event.data().path("index").asInt() == blockIndex)
                .forEach(event -> joined.append(event.data().path("delta").path(field).asText()));
        return joined.toString();
    }
}
