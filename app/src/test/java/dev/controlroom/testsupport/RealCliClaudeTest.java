package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.agent.OutputSink;
import dev.controlroom.agent.ProcessSpec;
import dev.controlroom.agent.PtySession;
import dev.controlroom.testsupport.Turn.Usage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Claude Code in print mode ({@code -p --output-format stream-json --verbose}) against
 * {@link MockAnthropicServer}: its own tools act on a real working folder. Every run's stdout is
 * kept as a sample ({@link AgentSamples}).
 */
@Timeout(60)
class RealCliClaudeTest {
    private static final Duration RUN = Duration.ofSeconds(30);

    @TempDir(factory = BuildTempDirs.class)
    Path dir;
    private Path work;

    @BeforeAll
    static void installTheCli() {
        assertEquals(AgentClis.CLAUDE_CODE_VERSION, AgentClis.version(AgentClis.claude()));
    }

    @BeforeEach
    void workingFolder() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
    }

    @Test
    void writeToolCreatesTheFileAndTheResultAddsUpTheScriptedUsage() throws Exception {
        Path target = work.resolve("hello.txt");
        Script script = Script.of(
                Turn.text("I'll create the file.")
                        .andToolUse("Write", Map.of("file_path", target.toString(), "content", "hello from the mock\n"))
                        .withUsage(new Usage(120, 30, 1000, 200)),
                Turn.text("Created hello.txt.").withUsage(new Usage(50, 10, 1100, 0)));

        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            ClaudeEnv env = env(server).build();
            try (CliRun run = CliRun.start(env.print("Create hello.txt"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("claude", "success", run);

                assertEquals("hello from the mock\n", Files.readString(target));
                JsonNode init = run.events("system").getFirst();
                assertEquals("init", init.path("subtype").asText());
                String sessionId = init.path("session_id").asText();
                assertFalse(sessionId.isBlank());

                JsonNode result = run.only("result");
                assertEquals("success", result.path("subtype").asText());
                assertFalse(result.path("is_error").asBoolean());
                assertEquals("Created hello.txt.", result.path("result").asText());
                assertEquals(sessionId, result.path("session_id").asText());
                assertEquals(2, result.path("num_turns").asInt());
                JsonNode usage = result.path("usage");
                assertEquals(170, usage.path("input_tokens").asInt());
                assertEquals(40, usage.path("output_tokens").asInt());
                assertEquals(2100, usage.path("cache_read_input_tokens").asInt());
                assertEquals(200, usage.path("cache_creation_input_tokens").asInt());

                JsonNode toolResult = run.events("user").getFirst().path("message").path("content").path(0);
                assertEquals("tool_result", toolResult.path("type").asText());
                assertEquals("toolu_mock_0_1", toolResult.path("tool_use_id").asText());
            }
            List<JsonNode> requests = server.conversationRequests();
            assertEquals(2, requests.size());
            assertTrue(requests.get(1).toString().contains("toolu_mock_0_1"), "the tool result goes back to the model");
        }
    }

    @Test
    void apiErrorEndsTheRunWithExitCodeOneAndAnErrorResult() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(
                Script.of(Turn.httpError(500, "api_error", "Mock internal server error")))) {
            ClaudeEnv env = env(server).build();
            try (CliRun run = CliRun.start(env.print("Do something"), env.variables(), work)) {
                assertEquals(1, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("claude", "api-error", run);

                JsonNode result = run.only("result");
                assertTrue(result.path("is_error").asBoolean());
                assertEquals(500, result.path("api_error_status").asInt());
                assertTrue(result.path("result").asText().contains("Mock internal server error"), result.toString());
                assertEquals("server_error", run.events("assistant").getLast().path("error").asText());
            }
        }
    }

    /**
     * A stream that ends after {@code message_start} makes the CLI ask again without streaming; the
     * answer's tokens then show in {@code modelUsage} only, while {@code usage} says 0.
     */
    @Test
    void aBrokenStreamFallsBackToAPlainRequestWhoseTokensOnlyModelUsageCounts() throws Exception {
        Script script = Script.of(Turn.onAttempts(Turn.emptyStream(),
                Turn.text("Answered without streaming.").withUsage(new Usage(300, 20, 0, 0))));

        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            ClaudeEnv env = env(server).maxRetries(1).build();
            try (CliRun run = CliRun.start(env.print("Say something"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("claude", "nonstreaming-fallback", run);

                JsonNode result = run.only("result");
                assertEquals("Answered without streaming.", result.path("result").asText());
                assertEquals(0, result.path("usage").path("input_tokens").asInt());
                assertEquals(0, result.path("usage").path("output_tokens").asInt());
                JsonNode perModel = result.path("modelUsage").elements().next();
                assertEquals(300, perModel.path("inputTokens").asInt());
                assertEquals(20, perModel.path("outputTokens").asInt());
            }
            List<JsonNode> requests = server.conversationRequests();
            assertEquals(2, requests.size());
            assertTrue(requests.get(0).path("stream").asBoolean());
            assertFalse(requests.get(1).path("stream").asBoolean(false), "the second request does not stream");
        }
    }

    @Test
    void rateLimitIsRetriedAfterTheServersDelayAndThenAnswered() throws Exception {
        Script script = Script.of(Turn.onAttempts(Turn.rateLimited(Duration.ofSeconds(1)), Turn.text("Answered after a retry.")));

        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            ClaudeEnv env = env(server).maxRetries(1).build();
            try (CliRun run = CliRun.start(env.print("Say something"), env.variables(), work)) {
                assertEquals(0, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("claude", "rate-limited-retry", run);

                JsonNode retry = run.events("system").stream()
                        .filter(event -> event.path("subtype").asText().equals("api_retry")).findFirst().orElseThrow();
                assertEquals(429, retry.path("error_status").asInt());
                assertEquals(1000, retry.path("retry_delay_ms").asInt());
                assertEquals("Answered after a retry.", run.only("result").path("result").asText());
            }
            assertEquals(2, server.conversationRequests().size());
        }
    }

    @Test
    void aQuestionEndsTheRunAndResumeContinuesTheSameSession() throws Exception {
        Script script = Script.of(Turn.text("Which port should the server listen on?"), Turn.text("Using port 8080."));

        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            ClaudeEnv env = env(server).build();
            String sessionId;
            try (CliRun ask = CliRun.start(env.print("Start the server"), env.variables(), work)) {
                assertEquals(0, ask.awaitExit(RUN), ask.transcript());
                AgentSamples.save("claude", "question", ask);
                JsonNode result = ask.only("result");
                assertEquals("Which port should the server listen on?", result.path("result").asText());
                sessionId = result.path("session_id").asText();
            }

            try (CliRun answer = CliRun.start(env.resume(sessionId, "Port 8080, please."), env.variables(), work)) {
                assertEquals(0, answer.awaitExit(RUN), answer.transcript());
                AgentSamples.save("claude", "answer-resumed", answer);
                assertEquals(sessionId, answer.events("system").getFirst().path("session_id").asText());
                JsonNode result = answer.only("result");
                assertEquals(sessionId, result.path("session_id").asText());
                assertEquals("Using port 8080.", result.path("result").asText());
            }

            JsonNode resumed = server.conversationRequests().get(1);
            assertEquals(1, MockAnthropicServer.assistantMessages(resumed));
            assertTrue(MockAnthropicServer.lastUserText(resumed).contains("Port 8080, please."));
        }
    }

    @Test
    void aHungModelLeavesNothingAfterInitUntilTheRunIsKilled() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.hang()))) {
            ClaudeEnv env = env(server).apiTimeout(Duration.ofSeconds(30)).build();
            try (CliRun run = CliRun.start(env.print("Do something"), env.variables(), work)) {
                run.awaitEvent(event -> event.path("subtype").asText().equals("init"), RUN);
                server.awaitConversationRequests(1, RUN);
                Thread.sleep(2_000);

                assertTrue(run.isAlive());
                assertEquals(1, run.lines().size(), run.transcript());
                run.kill();
                assertFalse(run.isAlive());
                AgentSamples.save("claude", "hang-killed", run);
            }
        }
    }

    @Test
    void aHungModelEndsInATimeoutErrorAfterApiTimeout() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.hang()))) {
            ClaudeEnv env = env(server).apiTimeout(Duration.ofSeconds(2)).build();
            try (CliRun run = CliRun.start(env.print("Do something"), env.variables(), work)) {
                assertEquals(1, run.awaitExit(RUN), run.transcript());
                AgentSamples.save("claude", "hang-timeout", run);

                JsonNode result = run.only("result");
                assertTrue(result.path("is_error").asBoolean());
                assertEquals("Request timed out", result.path("result").asText());
            }
        }
    }

    @Test
    void aFailedVerificationReachesTheModelInTheSecondPromptOfTheSameSession() throws Exception {
        Path target = work.resolve("version.txt");
        Script script = Script.of(
                Turn.toolUse("Write", Map.of("file_path", target.toString(), "content", "v1\n")),
                Turn.text("Wrote version.txt."),
                Turn.toolUse("Write", Map.of("file_path", target.toString(), "content", "v2\n")),
                Turn.text("Fixed: version.txt now says v2."));
        String failure = "Verification failed: `grep -qx v2 version.txt` exited with 1";

        try (MockAnthropicServer server = MockAnthropicServer.start(script)) {
            ClaudeEnv env = env(server).build();
            String sessionId;
            try (CliRun first = CliRun.start(env.print("Write v2 into version.txt"), env.variables(), work)) {
                assertEquals(0, first.awaitExit(RUN), first.transcript());
                AgentSamples.save("claude", "verify-first", first);
                sessionId = first.only("result").path("session_id").asText();
            }
            assertEquals("v1\n", Files.readString(target), "the first attempt is what the verification rejects");

            String secondPrompt = failure + "\nFix it and say when done.";
            try (CliRun second = CliRun.start(env.resume(sessionId, secondPrompt), env.variables(), work)) {
                assertEquals(0, second.awaitExit(RUN), second.transcript());
                AgentSamples.save("claude", "verify-second", second);
                assertEquals("Fixed: version.txt now says v2.", second.only("result").path("result").asText());
            }

            assertEquals("v2\n", Files.readString(target));
            List<JsonNode> requests = server.conversationRequests();
            assertEquals(4, requests.size());
            assertTrue(MockAnthropicServer.lastUserText(requests.get(2)).contains(failure));
        }
    }

    @Test
    void theInteractiveTuiAnswersAPromptThroughTheMock() throws Exception {
        String answer = "Pong-from-the-mock";
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.text(answer)))) {
            ClaudeEnv env = env(server).interactive(work).build();
            Map<String, String> variables = new HashMap<>(env.variables());
            variables.put("TERM", "xterm-256color");
            Terminal terminal = new Terminal();
            ProcessSpec spec = new ProcessSpec(env.interactive(), work, variables, 100, 30);
            try (PtySession session = PtySession.start(spec, terminal, Thread.ofPlatform().name("claude-tui-", 1).daemon().factory())) {
                terminal.awaitRaw("\u001b]0;\u2733 Claude Code\u0007");
                terminal.awaitVisible("bypass permissions on");
                session.write("Say ping".getBytes(StandardCharsets.UTF_8));
                terminal.awaitVisible("Say ping");
                session.write("\r".getBytes(StandardCharsets.UTF_8));

                server.awaitConversationRequests(1, RUN);
                terminal.awaitVisible(answer);
                session.killTree(Duration.ofSeconds(1));
            }
            AgentSamples.save("claude", "tui-answer.ansi", terminal.bytes());
            assertTrue(MockAnthropicServer.lastUserText(server.conversationRequests().getFirst()).contains("Say ping"));
        }
    }

    /** The TUI's raw output, and what of it a person would read: escape sequences and blanks dropped. */
    private static final class Terminal implements OutputSink {
        private static final Pattern ESCAPES = Pattern.compile(
                "\u001b\\[[0-?]*[ -/]*[@-~]|\u001b\\][^\u0007\u001b]*(\u0007|\u001b\\\\)|\u001b[^\\[\\]]|\\s");
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void onOutput(byte[] buffer, int length) {
            bytes.write(buffer, 0, length);
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        private synchronized String raw() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void awaitRaw(String expected) throws InterruptedException {
            await(() -> raw().contains(expected), expected);
        }

        void awaitVisible(String expected) throws InterruptedException {
            String squeezed = expected.replaceAll("\\s", "");
            await(() -> ESCAPES.matcher(raw()).replaceAll("").contains(squeezed), expected);
        }

        private void await(BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + RUN.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + what + "' on the terminal within " + RUN + ":\n"
                            + ESCAPES.matcher(raw()).replaceAll(" "));
                }
                Thread.sleep(20);
            }
        }
    }

    private ClaudeEnv.Builder env(MockAnthropicServer server) {
        return ClaudeEnv.builder(server.baseUrl(), dir.resolve("state"));
    }
}
