package dev.controlroom.orchestrator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.testsupport.AgentClis;
import dev.controlroom.testsupport.BuildTempDirs;
import dev.controlroom.testsupport.ClaudeEnv;
import dev.controlroom.testsupport.GitRepos;
import dev.controlroom.testsupport.CodexEnv;
import dev.controlroom.testsupport.MockAnthropicServer;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plans with AI tasks run by the engine on the REAL Claude Code and Codex CLIs (installed from
 * npm), against loopback mock model servers that play scripted turns: the CLIs' own tools act on
 * the task's real worktree.
 */
@Timeout(120)
class RealAgentRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(factory = BuildTempDirs.class)
    Path dir;


    private Path repo() throws Exception {
        return GitRepos.withOneCommit(dir.resolve("repo"));
    }

    /** A plan with one AI task in a worktree of {@code repo}, the CLI's environment given as the task's env. */
    private String plan(String id, String prompt, String agent, Map<String, String> env, String verify, int maxAttempts) throws Exception {
        StringBuilder yaml = new StringBuilder("name: ai\ntasks:\n  - id: ").append(id).append("\n    prompt: ")
                .append(JSON.writeValueAsString(prompt)).append("\n    agent: ").append(agent).append("\n    max_attempts: ")
                .append(maxAttempts).append("\n");
        if (verify != null) {
            yaml.append("    verify: [").append(JSON.writeValueAsString(verify)).append("]\n");
        }
        yaml.append("    context:\n      repo: repo\n      worktree: true\n      env:\n");
        env.forEach((k, v) -> {
            try {
                yaml.append("        ").append(k).append(": ").append(JSON.writeValueAsString(v)).append('\n');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return yaml.toString();
    }

    private static void hireClaude(EngineHarness h) {
        h.store.agents().hire(new NewAgent("claude-1", Optional.empty(), AgentProfile.CLAUDE, Optional.empty(),
                Optional.of(AgentClis.claude().toString()), 1));
        h.orchestrator.rosterChanged();
    }

    private ClaudeEnv claudeEnv(MockAnthropicServer server, Duration apiTimeout) throws Exception {
        return ClaudeEnv.builder(server.baseUrl(), Files.createDirectories(dir.resolve("claude-state"))).maxRetries(0)
                .apiTimeout(apiTimeout).build();
    }

    private static List<Event> ofType(EngineHarness h, String runId, String type) {
        return h.store.events().latest(2000).stream().filter(e -> e.type().id().equals(type) && e.runId().equals(Optional.of(runId))).toList();
    }

    @Test
    void claudeWritesTheFileInTheTaskWorktreeTokensAreRecordedAndTheTaskSucceeds() throws Exception {
        repo();
        Script script = Script.of(
                Turn.toolUse("Write", Map.of("file_path", "${cwd}/hello.txt", "content", "hello from the agent\n")).withUsage(120, 30),
                Turn.text("I created hello.txt.").withUsage(150, 12));
        try (MockAnthropicServer server = MockAnthropicServer.start(script); EngineHarness h = new EngineHarness(dir)) {
            hireClaude(h);
            PlanSummary plan = h.plan(plan("hello", "Create hello.txt", "claude-1", claudeEnv(server, Duration.ofSeconds(30)).variables(),
                    "test -f hello.txt", 1));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            h.flushExtracted();

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString());
            SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
            Path worktree = Path.of(session.workingDir());
            assertEquals("hello from the agent", Files.readString(worktree.resolve("hello.txt")).strip());
            assertTrue(session.nativeSessionId().isPresent(), "Claude's session_id stored");
            var perModel = h.store.runs().tokens(end.id()).values().iterator().next();
            assertEquals(java.util.Set.of("claude-opus-4-8"), perModel.keySet(), "the CLI says claude-opus-4-8[1m] and claude-opus-4-8");
            var tokens = perModel.values().iterator().next();
            assertEquals(270, tokens.input());
            assertEquals(42, tokens.output());
            OrchestratorTest.waitFor(() -> h.store.runs().session(session.id()).orElseThrow().cliVersion().isPresent());
            assertEquals(Optional.of(AgentClis.CLAUDE_CODE_VERSION), h.store.runs().session(session.id()).orElseThrow().cliVersion());
            assertTrue(ofType(h, end.id(), "tool_call").stream().anyMatch(e -> e.message().startsWith("Write")));
            assertTrue(ofType(h, end.id(), "file_change").stream().anyMatch(e -> e.message().endsWith("hello.txt")));
            assertEquals(List.of("passed"), h.store.runs().iterations(session.id()).stream().map(IterationRecord::status).toList());
        }
    }

    @Test
    void claudeServerErrorParksTheTaskAndTheNextAttemptContinuesTheAgentSession() throws Exception {
        repo();
        // The retry resumes Claude's session, whose history then holds the failed turn: so it is turn 1.
        Script script = Script.of(Turn.httpError(500, "api_error", "mock server exploded"),
                Turn.toolUse("Write", Map.of("file_path", "${cwd}/ok.txt", "content", "ok\n")), Turn.text("Done."));
        try (MockAnthropicServer server = MockAnthropicServer.start(script);
             EngineHarness h = new EngineHarness(dir, 2, c -> c.withRateLimitWait(Duration.ofMillis(500)))) {
            hireClaude(h);
            PlanSummary plan = h.plan(plan("flaky", "Create ok.txt", "claude-1", claudeEnv(server, Duration.ofSeconds(30)).variables(),
                    "test -f ok.txt", 2));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString() + "\n"
                    + h.store.runs().sessions(end.id()).stream().map(x -> x.id() + ": " + String.join("\n", h.store.output().lines(x.id(), 0, 30)))
                    .toList());
            List<SessionRecord> sessions = h.store.runs().sessions(end.id());
            assertEquals(2, sessions.size(), "a second session after the provider's error");
            String firstEnd = sessions.getFirst().endReason().orElseThrow();
            assertTrue(firstEnd.startsWith("provider overloaded") && firstEnd.contains("500"), firstEnd);
            assertEquals(List.of("interrupted"), h.store.runs().iterations(sessions.getFirst().id()).stream().map(IterationRecord::status).toList());
            assertTrue(h.types().contains("task_parked"), "a server error waits for the provider: " + h.types());
            assertFalse(h.types().contains("task_retry_scheduled"), "and uses no attempt: " + h.types());
            assertEquals(1, h.store.runs().tasks(end.id()).getFirst().attempts());
            assertEquals(sessions.getFirst().nativeSessionId(), sessions.get(1).nativeSessionId(), "the retry continued Claude's session");
        }
    }

    @Test
    void claudeQuestionWaitsForAnAnswerThatResumesTheSameSession() throws Exception {
        repo();
        Script script = Script.of(Turn.text("Which file name should I use for the notes?"),
                Turn.toolUse("Write", Map.of("file_path", "${cwd}/notes.txt", "content", "notes\n")), Turn.text("Written."));
        try (MockAnthropicServer server = MockAnthropicServer.start(script); EngineHarness h = new EngineHarness(dir)) {
            hireClaude(h);
            PlanSummary plan = h.plan(plan("ask", "Write the notes", "claude-1", claudeEnv(server, Duration.ofSeconds(30)).variables(),
                    "test -f notes.txt", 1));
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            OrchestratorTest.waitFor(() -> h.types().contains("needs_input")
                    && h.store.runs().sessions(runId).stream().anyMatch(s -> s.nativeSessionId().isPresent())
                    && h.store.runs().iterations(dev.controlroom.orchestrator.launch.SessionLauncher.sessionId(runId, "ask", 1)).stream().anyMatch(i -> i.status().equals("interrupted")));
            String nativeId = h.store.runs().sessions(runId).getFirst().nativeSessionId().orElseThrow();
            assertEquals("waiting", h.store.agents().findByName("claude-1").orElseThrow().status().id());

            h.orchestrator.answer(runId, "ask", "Use notes.txt").get(10, TimeUnit.SECONDS);
            RunSummary end = h.orchestrator.finished(runId).get(60, TimeUnit.SECONDS);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(runId).toString());
            SessionRecord session = h.store.runs().sessions(runId).getFirst();
            assertEquals(1, h.store.runs().sessions(runId).size());
            assertEquals(nativeId, session.nativeSessionId().orElseThrow(), "the answer continued the same Claude session");
            assertTrue(Files.exists(Path.of(session.workingDir()).resolve("notes.txt")));
            String resumed = server.conversationRequests().get(1).toString();
            assertTrue(resumed.contains("Use notes.txt") && resumed.contains("Which file name should I use"), resumed);
        }
    }

    @Test
    void hungModelServerIsCaughtByTheWatchdogWithinItsThreshold() throws Exception {
        repo();
        try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.hang()));
             EngineHarness h = new EngineHarness(dir, 2, c -> c.withTick(Duration.ofMillis(200)).withNoOutputLimit(Duration.ofSeconds(3)))) {
            hireClaude(h);
            PlanSummary plan = h.plan(plan("hang", "Do something", "claude-1", claudeEnv(server, Duration.ofMinutes(5)).variables(), null, 1));
            long t0 = System.nanoTime();
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            assertEquals(RunState.FAILED, end.state());
            assertTrue(ms < 20_000, "caught in " + ms + " ms with a 3 s threshold");
            assertEquals(1, ofType(h, end.id(), "agent_stuck").size());
            String reason = h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow();
            assertTrue(reason.startsWith("stuck (no progress for"), reason);
            assertEquals("killed", h.store.runs().sessions(end.id()).getFirst().status());
        }
    }

    @Test
    void failedVerificationStartsASecondIterationWhosePromptCarriesTheFailure() throws Exception {
        repo();
        Script script = Script.of(
                Turn.toolUse("Write", Map.of("file_path", "${cwd}/answer.txt", "content", "wrong\n")), Turn.text("Done."),
                Turn.toolUse("Write", Map.of("file_path", "${cwd}/answer.txt", "content", "right\n")), Turn.text("Fixed."));
        try (MockAnthropicServer server = MockAnthropicServer.start(script); EngineHarness h = new EngineHarness(dir)) {
            hireClaude(h);
            PlanSummary plan = h.plan(plan("fix", "Write the right answer", "claude-1",
                    claudeEnv(server, Duration.ofSeconds(30)).variables(), "grep -q right answer.txt", 3));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString());
            SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
            assertEquals(List.of("failed", "passed"), h.store.runs().iterations(session.id()).stream().map(IterationRecord::status).toList());
            String second = server.conversationRequests().get(2).toString();
            assertTrue(second.contains("Control Room ran the task's verification and it failed."), second);
            assertTrue(second.contains("grep -q right answer.txt"), second);
            assertEquals(2, h.store.runs().tasks(end.id()).getFirst().attempts());
        }
    }

    private CodexEnv codexEnv(MockResponsesServer server, Path repo) throws Exception {
        return CodexEnv.builder(server.baseUrl(), Files.createDirectories(dir.resolve("codex-state"))).trust(repo).build();
    }

    private static void hireCodex(EngineHarness h) {
        h.store.agents().hire(new NewAgent("codex-1", Optional.empty(), AgentProfile.CODEX, Optional.empty(),
                Optional.of(AgentClis.codex().toString()), 1));
        h.orchestrator.rosterChanged();
    }

    @Test
    void codexRunsACommandInTheWorktreeAndTheTaskSucceeds() throws Exception {
        Path repo = repo();
        Script script = Script.of(Turn.toolUse(MockResponsesServer.SHELL_TOOL, Map.of("cmd", "echo from codex > codex.txt")),
                Turn.text("Wrote codex.txt").withUsage(200, 40));
        try (MockResponsesServer server = MockResponsesServer.start(script); EngineHarness h = new EngineHarness(dir)) {
            hireCodex(h);
            PlanSummary plan = h.plan(plan("codex-task", "Create codex.txt", "codex-1", codexEnv(server, repo).variables(),
                    "test -f codex.txt", 1));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString()
                    + h.store.output().lines(h.store.runs().sessions(end.id()).getFirst().id(), 0, 40));
            SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
            assertEquals("from codex", Files.readString(Path.of(session.workingDir()).resolve("codex.txt")).strip());
            assertTrue(session.nativeSessionId().isPresent(), "Codex's thread_id stored");
            var perModel = h.store.runs().tokens(end.id()).values().iterator().next();
            assertEquals(java.util.Set.of("gpt-5.5"), perModel.keySet(), "the model of CODEX_HOME/config.toml, which the stream never names");
            assertTrue(perModel.get("gpt-5.5").output() > 0);
            OrchestratorTest.waitFor(() -> h.store.runs().session(session.id()).orElseThrow().cliVersion().isPresent());
            assertEquals(Optional.of(AgentClis.CODEX_VERSION), h.store.runs().session(session.id()).orElseThrow().cliVersion(),
                    "Codex's stream does not say its version: `codex --version` does");
        }
    }

    @Test
    void codexTurnFailureFailsTheTaskWithTheError() throws Exception {
        Path repo = repo();
        try (MockResponsesServer server = MockResponsesServer.start(Script.of(Turn.httpError(400, "invalid_request_error", "mock refused the request")));
             EngineHarness h = new EngineHarness(dir)) {
            hireCodex(h);
            PlanSummary plan = h.plan(plan("codex-fail", "Do it", "codex-1", codexEnv(server, repo).variables(), null, 1));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            assertEquals(TaskState.FAILED, h.store.runs().tasks(end.id()).getFirst().state());
            String reason = h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow();
            assertTrue(reason.contains("failed turn") || reason.contains("exited with code"), reason);
        }
    }

    private static final List<String> AWKWARD_PROMPTS = AgentPlans.AWKWARD_PROMPTS;

    @Test
    void claudeGetsEveryAwkwardPromptExactlyAsWritten() throws Exception {
        repo();
        try (EngineHarness h = new EngineHarness(dir)) {
            hireClaude(h);
            for (String prompt : AWKWARD_PROMPTS) {
                try (MockAnthropicServer server = MockAnthropicServer.start(Script.of(Turn.text("Done.")))) {
                    PlanSummary plan = h.plan(plan("p" + prompt.length(), prompt, "claude-1", claudeEnv(server, Duration.ofSeconds(30)).variables(),
                        null, 1));
                    RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

                    assertEquals(RunState.SUCCEEDED, end.state(), () -> "prompt of " + prompt.length() + " chars: "
                        + h.store.output().lines(h.store.runs().sessions(end.id()).getFirst().id(), 0, 20));
                    String asked = MockAnthropicServer.lastUserText(server.conversationRequests().getFirst());
                    assertTrue(asked.contains(prompt), () -> "the model was asked: " + asked.substring(0, Math.min(300, asked.length())));
                }
            }
        }
    }

    @Test
    void codexGetsEveryAwkwardPromptExactlyAsWritten() throws Exception {
        Path repo = repo();
        try (EngineHarness h = new EngineHarness(dir)) {
            hireCodex(h);
            for (String prompt : AWKWARD_PROMPTS) {
                try (MockResponsesServer server = MockResponsesServer.start(Script.of(Turn.text("Done.")))) {
                    PlanSummary plan = h.plan(plan("p" + prompt.length(), prompt, "codex-1", codexEnv(server, repo).variables(), null, 1));
                    RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

                    assertEquals(RunState.SUCCEEDED, end.state(), () -> "prompt of " + prompt.length() + " chars: "
                        + h.store.output().lines(h.store.runs().sessions(end.id()).getFirst().id(), 0, 20));
                    String asked = MockResponsesServer.lastUserText(server.conversationRequests().getFirst());
                    assertTrue(asked.contains(prompt), () -> "the model was asked: " + asked.substring(0, Math.min(300, asked.length())));
                }
            }
        }
    }
}
