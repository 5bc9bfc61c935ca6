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

import static dev.controlroom.testsupport.MockHttp.JSON;
import static dev.controlroom.testsupport.MockHttp.events;
import static dev.controlroom.testsupport.MockHttp.names;
import static dev.controlroom.testsupport.MockHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mock Responses server on its own, spoken to by a plain HTTP client shaped like Codex. */
@Timeout(30)
class MockResponsesServerTest {
    private static final String FIRST_PROMPT = request("""
            [{"type":"message","role":"developer","content":[{"type":"input_text","text":"You are Codex"}]},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]""");

    private static String request(String input) {
        return "{\"model\":\"gpt-test\",\"stream\":true,\"input\":" + input + "}";
    }

    private static URI responses(MockResponsesServer server) {
        return URI.create(server.baseUrl() + "/responses");
    }

    @Test
    void textTurnStreamsTheResponsesEventsAndEndsWithTheUsage() throws Exception {
        Script script = Script.of(Turn.text("Hello.").withUsage(new Turn.Usage(300, 40, 100, 0)));

        try (MockResponsesServer server = MockResponsesServer.start(script)) {
            List<Event> events = events(post(responses(server), FIRST_PROMPT).body());

            assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                    "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                    "response.output_text.done", "response.content_part.done", "response.output_item.done",
                    "response.completed"), names(events));
            for (int i = 0; i < events.size(); i++) {
                assertEquals(events.get(i).name(), events.get(i).data().path("type").asText());
                assertEquals(i, events.get(i).data().path("sequence_number").asInt());
            }
            String text = events.stream().filter(event -> event.name().equals("response.output_text.delta"))
                    .map(event -> event.data().path("delta").asText()).reduce("", String::concat);
            assertEquals("Hello.", text);
            JsonNode completed = events.getLast().data().path("response");
            assertEquals("completed", completed.path("status").asText());
            assertEquals("gpt-test", completed.path("model").asText());
            assertEquals("Hello.", completed.path("output").path(0).path("content").path(0).path("text").asText());
            JsonNode usage = completed.path("usage");
            assertEquals(300, usage.path("input_tokens").asInt());
            assertEquals(100, usage.path("input_tokens_details").path("cached_tokens").asInt());
            assertEquals(40, usage.path("output_tokens").asInt());
        }
    }

    @Test
    void toolCallIsAFunctionCallWithItsArgumentsAsAJsonString() throws Exception {
        Script script = Script.of(Turn.toolUse(MockResponsesServer.SHELL_TOOL, Map.of("cmd", "echo hi")));

        try (MockResponsesServer server = MockResponsesServer.start(script)) {
            List<Event> events = events(post(responses(server), FIRST_PROMPT).body());

            assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                    "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                    "response.function_call_arguments.done", "response.output_item.done", "response.completed"),
                    names(events));
            JsonNode added = events.get(2).data().path("item");
            assertEquals("", added.path("arguments").asText());
            JsonNode call = events.get(6).data().path("item");
            assertEquals("function_call", call.path("type").asText());
            assertEquals("exec_command", call.path("name").asText());
            assertEquals("call_mock_0_0", call.path("call_id").asText());
            assertEquals(JSON.valueToTree(Map.of("cmd", "echo hi")), JSON.readTree(call.path("arguments").asText()));
        }
    }

    @Test
    void theTurnPlayedIsTheNumberOfEarlierAnswersInTheInput() throws Exception {
        String afterCallAndAnswer = request("""
                [{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},
                 {"type":"reasoning","summary":[]},
                 {"type":"function_call","name":"exec_command","arguments":"{}","call_id":"c1"},
                 {"type":"function_call_output","call_id":"c1","output":"ok"},
                 {"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]},
                 {"type":"message","role":"user","content":[{"type":"input_text","text":"more"}]}]""");

        try (MockResponsesServer server = MockResponsesServer.start(
                Script.of(Turn.text("zero"), Turn.text("one"), Turn.text("two")))) {
            List<Event> events = events(post(responses(server), afterCallAndAnswer).body());

            assertEquals("two", events.getLast().data().path("response").path("output").path(0).path("content")
                    .path(0).path("text").asText());
            assertEquals(2, MockResponsesServer.earlierAnswers(server.requests().getFirst()));
            assertEquals("more\n", MockResponsesServer.lastUserText(server.requests().getFirst()));
        }
    }

    @Test
    void httpErrorCarriesTheOpenAiErrorBodyAndRateLimitHeaders() throws Exception {
        try (MockResponsesServer server = MockResponsesServer.start(Script.of(Turn.rateLimited(Duration.ofSeconds(2))))) {
            HttpResponse<String> response = post(responses(server), FIRST_PROMPT);

            assertEquals(429, response.statusCode());
            assertEquals("2", response.headers().firstValue("retry-after").orElseThrow());
            assertEquals("0", response.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            assertEquals("rate_limit_error", JSON.readTree(response.body()).path("error").path("type").asText());
        }
    }

    @Test
    void streamErrorIsAFailedResponse() throws Exception {
        try (MockResponsesServer server = MockResponsesServer.start(Script.of(Turn.streamError("server_error", "broke")))) {
            List<Event> events = events(post(responses(server), FIRST_PROMPT).body());

            assertEquals(List.of("response.created", "response.failed"), names(events));
            JsonNode failed = events.getLast().data().path("response");
            assertEquals("failed", failed.path("status").asText());
            assertEquals("broke", failed.path("error").path("message").asText());
        }
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        try (MockResponsesServer server = MockResponsesServer.start(Script.of())) {
            HttpResponse<String> response = post(URI.create(server.baseUrl() + "/chat/completions"), FIRST_PROMPT);

            assertEquals(404, response.statusCode());
            assertTrue(response.body().contains("mock has no POST /v1/chat/completions"), response.body());
        }
    }
}
