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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mock chat completions server on its own, spoken to by a plain HTTP client shaped like OpenCode and Qwen Code. */
@Timeout(30)
class MockChatServerTest {
    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"write\"}}]";

    private static String request(String messages) {
        return "{\"model\":\"m1\",\"stream\":true," + TOOLS + ",\"messages\":" + messages + "}";
    }

    private static URI completions(MockChatServer server) {
        return URI.create(server.baseUrl() + "/chat/completions");
    }

    @Test
    void toolCallStreamsTheCallInPiecesThenTheFinishReasonTheUsageAndDone() throws Exception {
        Script script = Script.of(Turn.toolUse("write", Map.of("filePath", "a.txt")).withUsage(new Turn.Usage(120, 30, 50, 0)));
        try (MockChatServer server = MockChatServer.start(script)) {
            List<String> data = data(post(completions(server), request("[{\"role\":\"user\",\"content\":\"hi\"}]")).body());

            assertEquals("[DONE]", data.getLast());
            List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(MockChatServerTest::json).toList();
            JsonNode first = chunks.getFirst().path("choices").path(0).path("delta").path("tool_calls").path(0);
            assertEquals("call_mock_0_0", first.path("id").asText());
            assertEquals("write", first.path("function").path("name").asText());
            String arguments = first.path("function").path("arguments").asText()
                    + chunks.get(1).path("choices").path(0).path("delta").path("tool_calls").path(0).path("function").path("arguments").asText();
            assertEquals("{\"filePath\":\"a.txt\"}", arguments);
            assertEquals("tool_calls", chunks.get(2).path("choices").path(0).path("finish_reason").asText());
            JsonNode usage = chunks.get(3).path("usage");
            assertEquals(170, usage.path("prompt_tokens").asInt(), "cached tokens are part of the prompt's");
            assertEquals(50, usage.path("prompt_tokens_details").path("cached_tokens").asInt());
            assertEquals(30, usage.path("completion_tokens").asInt());
        }
    }

    @Test
    void turnCountsTheModelsAnswersButNotQwenCodesContextAcknowledgement() throws Exception {
        Script script = Script.of(Turn.text("first"), Turn.text("second"));
        try (MockChatServer server = MockChatServer.start(script)) {
            String history = request("[{\"role\":\"user\",\"content\":\"env\"},{\"role\":\"assistant\",\"content\":\""
                    + MockChatServer.CONTEXT_ACKNOWLEDGEMENT + "\"},{\"role\":\"user\",\"content\":\"hi\"},"
                    + "{\"role\":\"assistant\",\"content\":\"first\"},{\"role\":\"user\",\"content\":\"more\"}]");

            assertEquals(1, MockChatServer.assistantMessages(JSON.readTree(history)));
            assertTrue(post(completions(server), history).body().contains("\"content\":\"sec"), "turn 1 played");
            assertEquals("more", MockChatServer.lastUserText(server.conversationRequests().getFirst()));
        }
    }

    @Test
    void requestWithoutToolsIsAuxiliaryAndConsumesNoTurn() throws Exception {
        try (MockChatServer server = MockChatServer.start(Script.of(Turn.text("the answer")))) {
            String title = "{\"model\":\"m1\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"Generate a title\"}]}";
            JsonNode answer = JSON.readTree(post(completions(server), title).body());

            assertEquals("Mock title", answer.path("choices").path(0).path("message").path("content").asText());
            assertTrue(post(completions(server), request("[{\"role\":\"user\",\"content\":\"hi\"}]")).body().contains("\"the a\""));
            assertEquals(2, server.requests().size());
            assertEquals(1, server.conversationRequests().size());
        }
    }

    @Test
    void httpErrorHasTheOpenAiErrorBody() throws Exception {
        try (MockChatServer server = MockChatServer.start(Script.of(Turn.httpError(400, "invalid_request_error", "nope")))) {
            HttpResponse<String> response = post(completions(server), request("[{\"role\":\"user\",\"content\":\"hi\"}]"));

            assertEquals(400, response.statusCode());
            assertEquals("nope", JSON.readTree(response.body()).path("error").path("message").asText());
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
