package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The committed samples parse, and each ends the way its scenario does. */
class AgentSamplesTest {
    @ParameterizedTest(name = "{0}/{1} starts with {2} and ends with {3}")
    @CsvSource({
            "claude, success, system, result",
            "claude, api-error, system, result",
            "claude, rate-limited-retry, system, result",
            "claude, question, system, result",
            "claude, answer-resumed, system, result",
            "claude, hang-killed, system, system",
            "claude, hang-timeout, system, result",
            "claude, verify-first, system, result",
            "claude, verify-second, system, result",
            "claude, nonstreaming-fallback, system, result",
            "codex, success, thread.started, turn.completed",
            "codex, failure, thread.started, turn.failed",
            "codex, stream-failure, thread.started, turn.failed",
            "codex, question, thread.started, turn.completed",
            "codex, answer-resumed, thread.started, turn.completed",
            "codex, cache-write, thread.started, turn.completed",
            "gemini, success, init, result",
            "gemini, api-error, init, result",
            "gemini, question-auto-model, init, result",
            "opencode, success, step_start, step_finish",
            "opencode, api-error, error, error",
            "opencode, question, step_start, step_finish",
            "opencode, answer-resumed, step_start, step_finish",
            "qwen, success, system, result",
            "qwen, api-error, system, result",
            "qwen, question, system, result",
            "qwen, answer-resumed, system, result",
    })
    void sampleParsesAndStartsAndEndsAsItsScenarioDoes(String cli, String scenario, String firstType, String lastType) {
        List<JsonNode> events = AgentSamples.read(cli, scenario);

        assertEquals(firstType, events.getFirst().path("type").asText());
        assertEquals(lastType, events.getLast().path("type").asText());
    }
}
