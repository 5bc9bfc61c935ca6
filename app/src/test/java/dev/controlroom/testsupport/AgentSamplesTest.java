package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The committed samples parse, and each ends the way its scenario does. */
class AgentSamplesTest {
    @ParameterizedTest(name = "{0}/{1} ends with {2}")
    @CsvSource({
            "claude, success, result",
            "claude, api-error, result",
            "claude, rate-limited-retry, result",
            "claude, question, result",
            "claude, answer-resumed, result",
            "claude, hang-killed, system",
            "claude, hang-timeout, result",
            "claude, verify-first, result",
            "claude, verify-second, result",
            "claude, nonstreaming-fallback, result",
            "codex, success, turn.completed",
            "codex, failure, turn.failed",
            "codex, stream-failure, turn.failed",
            "codex, question, turn.completed",
            "codex, answer-resumed, turn.completed",
            "codex, cache-write, turn.completed",
    })
    void sampleParsesAndEndsAsItsScenarioDoes(String cli, String scenario, String lastType) {
        List<JsonNode> events = AgentSamples.read(cli, scenario);

        assertEquals(lastType, events.getLast().path("type").asText());
        String firstType = cli.equals("claude") ? "system" : "thread.started";
        assertEquals(firstType, events.getFirst().path("type").asText());
    }
}
