package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Gemini CLI ({@code gemini --output-format stream-json}) against {@link MockGeminiServer}:
 * its tools act on a real working folder. Every run's stdout is kept as a sample ({@link AgentSamples}).
 */
@Timeout(60)
class RealCliGeminiTest {
    private static final Duration RUN = Duration.ofSeconds(40);
    private static final String MODEL = "gemini-2.5-flash";

    @TempDir(factory = BuildTempDirs.class)
    Path dir;
    private Path work;

    @BeforeAll
    static void installTheCli() {
        assertEquals(AgentClis.GEMINI_CLI_VERSION, AgentClis.version(AgentClis.gemini()));
    }

    @BeforeEach
    void workingFolder() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
    }

    @Test
    void writeFileToolWritesTheFileAndTheResultCountsTheTokens() throws Exception {
        Script script = Script.of(
                Turn.toolUse("write_file", Map.of("file_path", "hello.txt", "content", "hello from gemini\n")).withUsage(120, 30),
                Turn.text("I created hello.txt.").withUsage(150, 12));
        try (MockGeminiServer server = MockGeminiServer.start(script)) {
            GeminiEnv env = env(server);
            try (CliRun run = CliRun.start(withModel(env.headless("Create hello.txt")), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("gemini", "success", run);

                assertEquals("hello from gemini\n", Files.readString(work.resolve("hello.txt")), "a relative path is the workspace's");
                JsonNode init = run.only("init");
                assertEquals(MODEL, init.path("model").asText());
                assertFalse(init.path("session_id").asText().isBlank());
                JsonNode call = run.only("tool_use");
                assertEquals("write_file", call.path("tool_name").asText());
                assertEquals("success", run.only("tool_result").path("status").asText());
                assertEquals(call.path("tool_id").asText(), run.only("tool_result").path("tool_id").asText());
                assertTrue(run.events("message").stream().anyMatch(m -> m.path("delta").asBoolean()
                        && m.path("role").asText().equals("assistant")), "the answer streams as deltas");

                JsonNode result = run.only("result");
                assertEquals("success", result.path("status").asText());
                assertEquals(270, result.path("stats").path("input_tokens").asInt());
                assertEquals(42, result.path("stats").path("output_tokens").asInt());
                assertEquals(List.of(MODEL), names(result.path("stats").path("models")));
            }
            assertEquals(server.requests().size(), server.conversationRequests().size(), "with a model named, no extra calls");
        }
    }

    @Test
    void apiErrorEndsWithAnErrorResultAndAFailingExitCode() throws Exception {
        try (MockGeminiServer server = MockGeminiServer.start(Script.of(Turn.httpError(400, "INVALID_ARGUMENT", "Mock rejects this request")))) {
            GeminiEnv env = env(server);
            try (CliRun run = CliRun.start(withModel(env.headless("Do something")), env.variables(), work)) {
                assertNotEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("gemini", "api-error", run);

                JsonNode result = run.only("result");
                assertEquals("error", result.path("status").asText());
                assertTrue(result.path("error").path("message").asText().contains("Mock rejects this request"), result.toString());
            }
        }
    }

    @Test
    void withTheAutoModelASmallModelRoutesFirstAndTheResultCountsEachModel() throws Exception {
        try (MockGeminiServer server = MockGeminiServer.start(Script.of(Turn.text("Which port should the server listen on?")
                .withUsage(200, 9)))) {
            GeminiEnv env = env(server);
            try (CliRun run = CliRun.start(env.headless("Start the server"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("gemini", "question-auto-model", run);

                assertEquals("auto", run.only("init").path("model").asText());
                JsonNode models = run.only("result").path("stats").path("models");
                assertEquals(2, models.size(), models::toString);
                assertTrue(server.requests().size() > server.conversationRequests().size(), "the routing call");
            }
        }
    }

    private GeminiEnv env(MockGeminiServer server) throws IOException {
        return GeminiEnv.create(server.baseUrl(), dir.resolve("state"));
    }

    private static List<String> withModel(List<String> command) {
        List<String> withModel = new ArrayList<>(command);
        withModel.addAll(1, List.of("-m", MODEL));
        return withModel;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
