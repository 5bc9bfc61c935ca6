package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.controlroom.testsupport.MockHttp.JSON;
import static dev.controlroom.testsupport.MockHttp.data;
import static dev.controlroom.testsupport.MockHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mock Gemini API on its own, spoken to by a plain HTTP client shaped like Gemini CLI. */
@Timeout(30)
class MockGeminiServerTest {
    private static final String FIRST = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

    private static URI stream(MockGeminiServer server) {
        return URI.create(server.baseUrl() + "/v1beta/models/gemini-test:streamGenerateContent?alt=sse");
    }

    @Test
    void textStreamsInTwoChunksOfBareDataWithTheUsageOnTheLast() throws Exception {
        try (MockGeminiServer server = MockGeminiServer.start(Script.of(Turn.text("Hello.").withUsage(new Turn.Usage(120, 30, 50, 0))))) {
            String body = post(stream(server), FIRST).body();
            List<JsonNode> chunks = data(body).stream().map(MockGeminiServerTest::json).toList();

            assertFalse(body.contains("event:"), "the SDK reads only data lines");
            assertEquals(2, chunks.size());
            String text = chunks.stream().map(c -> c.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText())
                    .reduce("", String::concat);
            assertEquals("Hello.", text);
            JsonNode last = chunks.getLast();
            assertEquals("STOP", last.path("candidates").path(0).path("finishReason").asText());
            assertEquals(170, last.path("usageMetadata").path("promptTokenCount").asInt());
            assertEquals(50, last.path("usageMetadata").path("cachedContentTokenCount").asInt());
            assertEquals("gemini-test", last.path("modelVersion").asText());
        }
    }

    @Test
    void toolCallIsAFunctionCallPartAndTheTurnIsTheNumberOfModelEntries() throws Exception {
        Script script = Script.of(Turn.text("first"), Turn.toolUse("write_file", Map.of("file_path", "a.txt")));
        try (MockGeminiServer server = MockGeminiServer.start(script)) {
            String second = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"first\"}]},"
                    + "{\"role\":\"user\",\"parts\":[{\"text\":\"go on\"}]}]}";
            JsonNode call = json(data(post(stream(server), second).body()).getFirst())
                    .path("candidates").path(0).path("content").path("parts").path(0).path("functionCall");

            assertEquals("write_file", call.path("name").asText());
            assertEquals("a.txt", call.path("args").path("file_path").asText());
            assertEquals("go on\n", MockGeminiServer.lastUserText(server.conversationRequests().getFirst()));
        }
    }

    @Test
    void plainGenerateContentIsAuxiliaryAndFillsTheRequestedSchema() throws Exception {
        try (MockGeminiServer server = MockGeminiServer.start(Script.of(Turn.text("the answer")))) {
            String routing = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"rate this\"}]}],\"generationConfig\":"
                    + "{\"responseJsonSchema\":{\"type\":\"object\",\"properties\":{\"reasoning\":{\"type\":\"string\"},"
                    + "\"complexity_score\":{\"type\":\"integer\"}}}}}";
            JsonNode answer = json(post(URI.create(server.baseUrl() + "/v1beta/models/flash-lite:generateContent"), routing).body());
            JsonNode filled = json(answer.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText());

            assertEquals("mock", filled.path("reasoning").asText());
            assertEquals(1, filled.path("complexity_score").asInt());
            assertTrue(post(stream(server), FIRST).body().contains("\"the a\""), "the conversation still starts at turn 0");
            assertEquals(1, server.conversationRequests().size());
        }
    }

    @Test
    void httpErrorHasTheGoogleErrorBody() throws Exception {
        try (MockGeminiServer server = MockGeminiServer.start(Script.of(Turn.httpError(400, "INVALID_ARGUMENT", "nope")))) {
            HttpResponse<String> response = post(stream(server), FIRST);

            assertEquals(400, response.statusCode());
            JsonNode error = JSON.readTree(response.body()).path("error");
            assertEquals(400, error.path("code").asInt());
            assertEquals("INVALID_ARGUMENT", error.path("status").asText());
            assertEquals("nope", error.path("message").asText());
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
