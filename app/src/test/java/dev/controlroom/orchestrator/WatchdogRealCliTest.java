package dev.controlroom.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.testsupport.AgentClis;
import dev.controlroom.testsupport.BuildTempDirs;
import dev.controlroom.testsupport.ClaudeEnv;
import dev.controlroom.testsupport.CodexEnv;
import dev.controlroom.testsupport.GitRepos;
import dev.controlroom.testsupport.MockAnthropicServer;
import dev.controlroom.testsupport.MockModelServer;
import dev.controlroom.testsupport.MockResponsesServer;
import dev.controlroom.testsupport.Script;
import dev.controlroom.testsupport.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog against the REAL Claude Code and Codex CLIs and mock model servers that hang,
 * stall or are slow, with a silence threshold of a few seconds set in the plan: a hang is caught
 * within the threshold and one tick, whatever the CLI's own process does meanwhile (Codex runs
 * behind its npm launcher); a slow tool or a slow answer is never taken for one. Each test prints
 * its detection time ({@code WATCHDOG cli scenario ...}) for the record.
 */
@Timeout(150)
class WatchdogRealCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SILENCE = Duration.ofSeconds(3);
    private static final Duration TICK = Duration.ofMillis(200);

    @TempDir(factory = BuildTempDirs.class)
    Path dir;

    private enum Cli { CLAUDE, CODEX }

    /** Codex's own retries of a failed request ({@code request_max_retries}); 0 unless a test sets them. */
    private int codexRetries;

    // --- hangs: caught ---------------------------------------------------------------------------

    @Test
    void claudeWhoseModelHangsBeforeAnsweringIsCaught() throws Exception {
        caught(Cli.CLAUDE, "hang before headers", Script.of(Turn.hang()));
    }

    @Test
    void claudeWhoseModelHangsAfterAToolCallIsCaught() throws Exception {
        caught(Cli.CLAUDE, "hang after a tool call", Script.of(Turn.toolUse("Bash", Map.of("command", "echo step one")), Turn.hang()));
    }

    @Test
    void claudeWhoseModelStallsMidStreamIsCaught() throws Exception {
        caught(Cli.CLAUDE, "stall mid-stream", Script.of(Turn.stalls(Turn.text("I will now write a long explanation of"), 4)));
    }

    @Test
    void codexBehindItsNpmLauncherWhoseModelHangsIsCaught() throws Exception {
        caught(Cli.CODEX, "hang before headers", Script.of(Turn.hang()));
    }

    @Test
    void codexWhoseModelHangsAfterAToolCallIsCaught() throws Exception {
        caught(Cli.CODEX, "hang after a tool call", Script.of(Turn.toolUse(MockResponsesServer.SHELL_TOOL, Map.of("cmd", "echo step one")),
                Turn.hang()));
    }

    @Test
    void codexWhoseModelStallsMidStreamIsCaught() throws Exception {
        caught(Cli.CODEX, "stall mid-stream", Script.of(Turn.stalls(Turn.text("I will now write a long explanation of"), 3)));
    }

    // --- slow work: never flagged ----------------------------------------------------------------

    @Test
    void claudeWaitingOnASlowToolIsNotStuck() throws Exception {
        notFlagged(Cli.CLAUDE, "slow tool (sleep 10)", Script.of(Turn.toolUse("Bash", Map.of("command", "sleep 10 && echo slept > slept.txt")),
                Turn.text("Done.")));
    }

    @Test
    void claudeStreamingASlowAnswerIsNotStuck() throws Exception {
        notFlagged(Cli.CLAUDE, "slow streaming answer", Script.of(Turn.slowly(Turn.text("A slow but steady answer."), Duration.ofMillis(1500))));
    }

    @Test
    void codexWaitingOnASlowToolIsNotStuck() throws Exception {
        notFlagged(Cli.CODEX, "slow tool (sleep 10)", Script.of(Turn.toolUse(MockResponsesServer.SHELL_TOOL,
                Map.of("cmd", "sleep 10 && echo slept > slept.txt")), Turn.text("Done.")));
    }

    // --- provider errors: classified before any rule fires -----------------------------------------

    @Test
    void claudeRidingOutAnOverloadedProviderWithItsOwnRetriesIsNotStuckAndSucceeds() throws Exception {
        Turn overloaded = Turn.httpError(529, "overloaded_error", "Overloaded");
        Script script = Script.of(Turn.onAttempts(overloaded, overloaded, overloaded, overloaded, Turn.text("Done after the storm.")));
        try (MockAnthropicServer server = MockAnthropicServer.start(script); EngineHarness h = harness()) {
            RunSummary end = h.runToEnd(plan(h, Cli.CLAUDE, server, 1, 10), 1, WaveMode.DATAFLOW);
            h.flushExtracted();

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString() + h.types());
            assertFalse(h.types().contains("agent_stuck"), h.types().toString());
            assertEquals(4, ofType(h, end.id(), "provider_retry").size(), "each of the CLI's own retries is recorded as one");
            assertTrue(ofType(h, end.id(), "error").isEmpty(), "a retry is not an error of the agent's");
        }
    }

    @Test
    void anOverloadOutlastingTheClaudeRetriesParksTheTaskWhichThenContinuesItsSession() throws Exception {
        Turn overloaded = Turn.httpError(529, "overloaded_error", "Overloaded");
        // Claude keeps its failed request in the session as a message of its own: the resumed request may be turn 1 or 2.
        Script script = Script.of(Turn.toolUse("Bash", Map.of("command", "echo first > first.txt")),
                Turn.onAttempts(overloaded, overloaded, Turn.text("Finished the rest.")), Turn.text("Finished the rest."));
        try (MockAnthropicServer server = MockAnthropicServer.start(script);
             EngineHarness h = new EngineHarness(dir, 2, c -> c.withTick(TICK).withRateLimitWait(Duration.ofSeconds(1)))) {
            RunSummary end = h.runToEnd(plan(h, Cli.CLAUDE, server, 1, 1), 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString() + h.types());
            List<Event> parked = ofType(h, end.id(), "task_parked");
            assertEquals(1, parked.size(), h.types().toString());
            assertTrue(parked.getFirst().message().contains("overloaded provider"), parked.getFirst().message());
            assertEquals(1, h.store.runs().tasks(end.id()).getFirst().attempts(), "waiting for the provider used no attempt");
            String resumed = server.conversationRequests().getLast().toString();
            assertTrue(resumed.contains("Continue the task from where it stands"), resumed);
            assertEquals(1, occurrences(resumed, "Do the work"), "the task's prompt is not sent into the same session again: " + resumed);
        }
    }

    @Test
    void aBadRequestFailsOnceWithTheErrorAndIsNotRetried() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(
                Turn.httpError(400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum")));
             EngineHarness h = harness()) {
            RunSummary end = h.runToEnd(plan(h, Cli.CLAUDE, server, 3, 0), 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            var task = h.store.runs().tasks(end.id()).getFirst();
            assertEquals(1, task.attempts(), "no blind retry of a refused request");
            assertTrue(task.reason().orElseThrow().contains("too long"), task.reason().orElseThrow());
            assertTrue(task.reason().orElseThrow().contains("not retried blindly"), task.reason().orElseThrow());
            assertEquals("bad_request", failureClass(h, end.id()));
            assertEquals(1, server.conversationRequests().size());
        }
    }

    @Test
    void aRefusedKeyFailsAtOnceAndSaysSo() throws Exception {
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(
                Turn.httpError(401, "authentication_error", "invalid x-api-key")));
             EngineHarness h = harness()) {
            RunSummary end = h.runToEnd(plan(h, Cli.CLAUDE, server, 3, 0), 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            var task = h.store.runs().tasks(end.id()).getFirst();
            assertEquals(1, task.attempts());
            assertTrue(task.reason().orElseThrow().contains("authentication failed"), task.reason().orElseThrow());
            assertEquals("auth", failureClass(h, end.id()));
        }
    }

    @Test
    void aRetryAfterAHangContinuesTheSessionWithWhatWentWrongInsteadOfRepeatingThePrompt() throws Exception {
        // The resumed session holds the interrupted request as a message of its own: it asks for turn 1 or 2.
        Script script = Script.of(Turn.toolUse("Bash", Map.of("command", "echo first > first.txt")),
                Turn.onAttempts(Turn.hang(), Turn.text("Picked up where I was.")), Turn.text("Picked up where I was."));
        try (MockAnthropicServer server = MockAnthropicServer.start(script); EngineHarness h = harness()) {
            RunSummary end = h.runToEnd(plan(h, Cli.CLAUDE, server, 2, 0), 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString());
            List<SessionRecord> sessions = h.store.runs().sessions(end.id());
            assertEquals(2, sessions.size());
            assertEquals(sessions.get(0).nativeSessionId(), sessions.get(1).nativeSessionId(), "the second attempt continued the same Claude session");
            String resumed = server.conversationRequests().getLast().toString();
            assertTrue(resumed.contains("your previous attempt at this task ended: stuck (no progress for"), resumed);
            assertEquals(1, occurrences(resumed, "Do the work"), "the task's prompt appears once in the conversation: " + resumed);
        }
    }

    @Test
    void codexRidingOutAnOverloadedProviderWithItsOwnRetriesIsNotStuckAndSucceeds() throws Exception {
        Turn overloaded = Turn.httpError(503, "server_error", "The server is overloaded");
        Script script = Script.of(Turn.onAttempts(overloaded, overloaded, overloaded, Turn.text("Done after the storm.")));
        try (MockResponsesServer server = MockResponsesServer.start(script); EngineHarness h = harness()) {
            codexRetries = 5;
            RunSummary end = h.runToEnd(plan(h, Cli.CODEX, server, 1), 1, WaveMode.DATAFLOW);
            h.flushExtracted();

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString() + h.types());
            assertFalse(h.types().contains("agent_stuck"), h.types().toString());
            assertEquals(4, server.conversationRequests().size(), "three refusals, then the answer");
        }
    }

    @Test
    void codexWhoseRequestIsRefusedFailsOnceWithoutRetry() throws Exception {
        try (MockResponsesServer server = MockResponsesServer.start(Script.of(
                Turn.httpError(400, "invalid_request_error", "Unsupported parameter: 'reasoning.effort'")));
             EngineHarness h = harness()) {
            RunSummary end = h.runToEnd(plan(h, Cli.CODEX, server, 3), 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            var task = h.store.runs().tasks(end.id()).getFirst();
            assertEquals(1, task.attempts(), () -> "no blind retry: " + task + h.types());
            assertEquals("bad_request", failureClass(h, end.id()));
        }
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String failureClass(EngineHarness h, String runId) {
        return h.store.database().read(dsl -> dsl.fetchValue("select failure_class from run_tasks where run_id = ?", runId)).toString();
    }

    // --- the checks --------------------------------------------------------------------------------

    private void caught(Cli cli, String scenario, Script script) throws Exception {
        try (MockModelServer server = server(cli, script); EngineHarness h = harness()) {
            RunSummary end = h.runToEnd(plan(h, cli, server, 1), 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state(), () -> h.store.runs().tasks(end.id()).toString());
            List<Event> stuck = ofType(h, end.id(), "agent_stuck");
            assertEquals(1, stuck.size(), () -> h.types().toString());
            JsonNode payload = JSON.readTree(stuck.getFirst().payload());
            long silentMs = payload.path("silent_ms").asLong();
            assertEquals(SILENCE.toMillis(), payload.path("threshold_ms").asLong());
            assertEquals("silence", payload.path("signal").asText());
            assertEquals("restart", payload.path("policy").asText());
            // Caught at the first tick past the threshold (ticks may run a little late on a busy machine).
            assertTrue(silentMs >= SILENCE.toMillis() && silentMs <= SILENCE.toMillis() + TICK.toMillis() + 800,
                    "caught after " + silentMs + " ms of silence with a " + SILENCE.toMillis() + " ms threshold");
            SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
            assertEquals("killed", session.status());
            assertTrue(session.endReason().orElseThrow().startsWith("stuck (no progress for"), session.endReason().orElseThrow());
            assertNoProcessLeft(session);
            System.out.printf("WATCHDOG %s | %s | caught | silent %d ms at detection, threshold %d ms, late by %d ms%n",
                    cli, scenario, silentMs, SILENCE.toMillis(), silentMs - SILENCE.toMillis());
        }
    }

    private void notFlagged(Cli cli, String scenario, Script script) throws Exception {
        try (MockModelServer server = server(cli, script); EngineHarness h = harness()) {
            long t0 = System.nanoTime();
            RunSummary end = h.runToEnd(plan(h, cli, server, 1), 1, WaveMode.DATAFLOW);
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString() + h.types());
            assertFalse(h.types().contains("agent_stuck"), h.types().toString());
            assertTrue(ms > SILENCE.toMillis() * 2, "the work took longer than the threshold, or the test proves nothing: " + ms + " ms");
            System.out.printf("WATCHDOG %s | %s | not flagged | run took %d ms, threshold %d ms%n", cli, scenario, ms, SILENCE.toMillis());
        }
    }

    private static void assertNoProcessLeft(SessionRecord session) throws InterruptedException {
        long pid = session.pid().orElseThrow();
        for (int i = 0; i < 50 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the agent's process " + pid + " is gone");
        boolean leftover = ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(session.workingDir()));
        assertFalse(leftover, "no process works in " + session.workingDir() + " any more");
    }

    private EngineHarness harness() {
        return new EngineHarness(dir, 2, c -> c.withTick(TICK));
    }

    private MockModelServer server(Cli cli, Script script) throws Exception {
        return cli == Cli.CLAUDE ? MockAnthropicServer.start(script) : MockResponsesServer.start(script);
    }

    private PlanSummary plan(EngineHarness h, Cli cli, MockModelServer server, int maxAttempts) throws Exception {
        return plan(h, cli, server, maxAttempts, 0);
    }

    private PlanSummary plan(EngineHarness h, Cli cli, MockModelServer server, int maxAttempts, int claudeRetries) throws Exception {
        Path repo = GitRepos.withOneCommit(dir.resolve("repo"));
        Map<String, String> env;
        String agent;
        if (cli == Cli.CLAUDE) {
            h.store.agents().hire(new NewAgent("claude-1", Optional.empty(), AgentProfile.CLAUDE, Optional.empty(),
                    Optional.of(AgentClis.claude().toString()), 1));
            env = ClaudeEnv.builder(((MockAnthropicServer) server).baseUrl(), Files.createDirectories(dir.resolve("claude-state"))).maxRetries(claudeRetries)
                    .apiTimeout(Duration.ofMinutes(5)).build().variables();
            agent = "claude-1";
        } else {
            h.store.agents().hire(new NewAgent("codex-1", Optional.empty(), AgentProfile.CODEX, Optional.empty(),
                    Optional.of(AgentClis.codex().toString()), 1));
            env = CodexEnv.builder(((MockResponsesServer) server).baseUrl(), Files.createDirectories(dir.resolve("codex-state"))).trust(repo)
                    .retries(codexRetries, codexRetries).build().variables();
            agent = "codex-1";
        }
        h.orchestrator.rosterChanged();
        StringBuilder yaml = new StringBuilder("name: watched\nsettings:\n  watchdog: { silence: ").append(SILENCE.toSeconds())
                .append("s }\ntasks:\n  - id: work\n    prompt: Do the work\n    agent: ").append(agent)
                .append("\n    max_attempts: ").append(maxAttempts).append("\n    context:\n      repo: repo\n      worktree: true\n      env:\n");
        for (Map.Entry<String, String> e : env.entrySet()) {
            yaml.append("        ").append(e.getKey()).append(": ").append(JSON.writeValueAsString(e.getValue())).append('\n');
        }
        return h.plan(yaml.toString());
    }

    private static List<Event> ofType(EngineHarness h, String runId, String type) {
        return h.store.events().latest(2000).stream().filter(e -> e.type().id().equals(type) && e.runId().equals(Optional.of(runId))).toList();
    }
}
