package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.testsupport.Turn.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Codex ({@code codex exec --json}) against {@link MockResponsesServer}: its shell tool
 * runs real commands in a real working folder. Every run's stdout is kept as a sample
 * ({@link AgentSamples}). Worth knowing when parsing: {@code turn.completed} after
 * {@code exec resume} reports the usage of the whole thread so far, not of that turn.
 */
@Timeout(60)
class RealCliCodexTest {
    private static final Duration RUN = Duration.ofSeconds(30);

    @TempDir(factory = BuildTempDirs.class)
    Path dir;
    private Path work;

    @BeforeAll
    static void installTheCli() {
        assertEquals(AgentClis.CODEX_VERSION, AgentClis.version(AgentClis.codex()));
    }

    @BeforeEach
    void workingFolder() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
    }

    @Test
    void shellCommandWritesAFileAndTheTurnAddsUpTheScriptedUsage() throws Exception {
        Script script = Script.of(
                Turn.toolUse(MockResponsesServer.SHELL_TOOL,
                                Map.of("cmd", "printf 'hello from codex\\n' > hello.txt && echo wrote"))
                        .withUsage(new Usage(300, 40, 100, 0)),
                Turn.text("Wrote hello.txt.").withUsage(new Usage(350, 12, 300, 0)));

        try (MockResponsesServer server = MockResponsesServer.start(script)) {
            CodexEnv env = env(server).build();
            try (CliRun run = CliRun.start(env.exec("Create hello.txt"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("codex", "success", run);

                assertEquals("hello from codex\n", Files.readString(work.resolve("hello.txt")));
                assertFalse(run.only("thread.started").path("thread_id").asText().isBlank());
                JsonNode command = completedItem(run, "command_execution");
                assertEquals("completed", command.path("status").asText());
                assertEquals(0, command.path("exit_code").asInt());
                assertEquals("wrote\n", command.path("aggregated_output").asText());
                assertTrue(command.path("command").asText().contains("hello.txt"));
                assertEquals("Wrote hello.txt.", completedItem(run, "agent_message").path("text").asText());

                JsonNode usage = run.only("turn.completed").path("usage");
                assertEquals(650, usage.path("input_tokens").asInt());
                assertEquals(400, usage.path("cached_input_tokens").asInt());
                assertEquals(52, usage.path("output_tokens").asInt());
            }
            List<JsonNode> requests = server.requests();
            assertEquals(2, requests.size());
            assertTrue(requests.get(1).toString().contains("\"call_id\":\"call_mock_0_0\""), "the output goes back to the model");
        }
    }

    @Test
    void cacheWritesAreReportedApartAndCountedInsideTheInput() throws Exception {
        Script script = Script.of(Turn.text("Done.").withUsage(new Usage(500, 20, 100, 300)));

        try (MockResponsesServer server = MockResponsesServer.start(script)) {
            CodexEnv env = env(server).build();
            try (CliRun run = CliRun.start(env.exec("Do it"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("codex", "cache-write", run);

                JsonNode usage = run.only("turn.completed").path("usage");
                assertEquals(500, usage.path("input_tokens").asInt());
                assertEquals(100, usage.path("cached_input_tokens").asInt());
                assertEquals(300, usage.path("cache_write_input_tokens").asInt());
                assertEquals(20, usage.path("output_tokens").asInt());
            }
        }
    }

    /**
     * The model goes to the server in each request, from {@code config.toml} or from {@code --model};
     * the JSON stream never names it (Control Room reads it where Codex does).
     */
    @Test
    void theModelComesFromTheConfigOrTheFlagAndTheStreamDoesNotSayIt() throws Exception {
        Script script = Script.of(Turn.text("One."), Turn.text("Two."));

        try (MockResponsesServer server = MockResponsesServer.start(script)) {
            CodexEnv env = env(server).model("gpt-5.5").build();
            try (CliRun run = CliRun.start(env.exec("First"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                assertFalse(run.stdout().contains("gpt-5.5"), "the stream does not name the model:\n" + run.stdout());
            }
            List<String> withFlag = new java.util.ArrayList<>(env.exec("Second"));
            withFlag.addAll(2, List.of("--model", "gpt-5.4"));
            try (CliRun run = CliRun.start(withFlag, env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
            }
            List<JsonNode> requests = server.requests();
            assertEquals("gpt-5.5", requests.get(0).path("model").asText());
            assertEquals(java.util.Optional.of("gpt-5.5"), dev.controlroom.agent.CodexConfig.model(env.variables()),
                    "Control Room reads the model Codex sends");
            assertEquals("gpt-5.4", requests.get(1).path("model").asText());
        }
    }

    @Test
    void serverErrorFailsTheTurnAndTheExitCode() throws Exception {
        try (MockResponsesServer server = MockResponsesServer.start(
                Script.of(Turn.httpError(400, "invalid_request_error", "Mock rejects this request")))) {
            CodexEnv env = env(server).build();
            try (CliRun run = CliRun.start(env.exec("Do something"), env.variables(), work)) {
                assertEquals(1, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("codex", "failure", run);

                assertTrue(run.only("turn.failed").path("error").path("message").asText().contains("Mock rejects this request"));
                assertTrue(run.events("turn.completed").isEmpty());
            }
        }
    }

    @Test
    void streamFailureFailsTheTurnWithTheServersMessage() throws Exception {
        try (MockResponsesServer server = MockResponsesServer.start(
                Script.of(Turn.streamError("server_error", "Mock stream broke")))) {
            CodexEnv env = env(server).build();
            try (CliRun run = CliRun.start(env.exec("Do something"), env.variables(), work)) {
                assertEquals(1, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("codex", "stream-failure", run);

                assertTrue(run.only("turn.failed").path("error").path("message").asText().contains("Mock stream broke"));
            }
        }
    }

    @Test
    void resumeContinuesTheSameThreadAndCountsUsageForTheWholeThread() throws Exception {
        Script script = Script.of(
                Turn.text("Which port should the server listen on?").withUsage(new Usage(100, 10, 0, 0)),
                Turn.text("Using port 8080.").withUsage(new Usage(150, 5, 100, 0)));

        try (MockResponsesServer server = MockResponsesServer.start(script)) {
            CodexEnv env = env(server).build();
            String threadId;
            try (CliRun ask = CliRun.start(env.exec("Start the server"), env.variables(), work)) {
                assertEquals(0, ask.awaitExit(RUN), ask.transcript());
                AgentSamples.save("codex", "question", ask);
                threadId = ask.only("thread.started").path("thread_id").asText();
            }

            try (CliRun answer = CliRun.start(env.resume(threadId, "Port 8080, please."), env.variables(), work)) {
                assertEquals(0, answer.awaitExit(RUN), answer.transcript());
                AgentSamples.save("codex", "answer-resumed", answer);
                assertEquals(threadId, answer.only("thread.started").path("thread_id").asText());
                assertEquals("Using port 8080.", completedItem(answer, "agent_message").path("text").asText());
                // Not this turn's usage: the resumed thread's total, the first run's included.
                assertEquals(250, answer.only("turn.completed").path("usage").path("input_tokens").asInt());
            }

            JsonNode resumed = server.requests().get(1);
            assertEquals(1, MockResponsesServer.earlierAnswers(resumed));
            assertTrue(MockResponsesServer.lastUserText(resumed).contains("Port 8080, please."));
        }
    }

    /** Codex links its helper binaries (apply_patch, ...) into CODEX_HOME/tmp; JUnit warns about each link it deletes. */
    @AfterEach
    void removeCodexHelperLinks() throws IOException {
        Path helpers = dir.resolve("state/codex-home/tmp");
        if (Files.exists(helpers)) {
            try (Stream<Path> paths = Files.walk(helpers)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private CodexEnv.Builder env(MockResponsesServer server) {
        return CodexEnv.builder(server.baseUrl(), dir.resolve("state")).trust(work);
    }

    private static JsonNode completedItem(CliRun run, String itemType) {
        return run.events("item.completed").stream().map(event -> event.path("item"))
                .filter(item -> item.path("type").asText().equals(itemType)).findFirst()
                .orElseThrow(() -> new AssertionError("no completed " + itemType + "\n" + run.transcript()));
    }
}
