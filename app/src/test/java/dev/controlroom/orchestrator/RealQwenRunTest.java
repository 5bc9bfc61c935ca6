package dev.controlroom.orchestrator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.Price;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.testsupport.AgentClis;
import dev.controlroom.testsupport.BuildTempDirs;
import dev.controlroom.testsupport.GitRepos;
import dev.controlroom.testsupport.MockChatServer;
import dev.controlroom.testsupport.QwenEnv;
import dev.controlroom.testsupport.Script;
import dev.controlroom.testsupport.Turn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

import static dev.controlroom.orchestrator.AgentPlans.ofType;
import static dev.controlroom.orchestrator.AgentPlans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plans with an AI task run by the engine on the REAL Qwen Code (installed from npm) against a
 * loopback {@link MockChatServer} (its OpenAI-compatible client): its own tools act on the task's
 * real worktree.
 */
@Timeout(120)
class RealQwenRunTest {
    /** Qwen Code prints partial messages; the last three events (finish, usage, [DONE]) print nothing, so they stay under the silence together. */
    private static final Duration SLOW_PIECES = Duration.ofMillis(800);

    @TempDir(factory = BuildTempDirs.class)
    Path dir;

    @BeforeAll
    static void installTheCli() {
        assertEquals(AgentClis.QWEN_CODE_VERSION, AgentClis.version(AgentClis.qwen()));
    }

    @BeforeEach
    void repo() throws Exception {
        GitRepos.withOneCommit(dir.resolve("repo"));
    }

    private Map<String, String> env(MockChatServer server) throws Exception {
        return QwenEnv.create(server.baseUrl(), Files.createDirectories(dir.resolve("qwen-state")), Duration.ofMinutes(5)).variables();
    }

    private static void hire(EngineHarness h) {
        AgentPlans.hire(h, "qwen-1", AgentProfile.QWEN, Optional.empty(), AgentClis.qwen().toString());
    }

    @Test
    void writesTheFileInTheTaskWorktreeRecordsToolsAndTokensAndTheTaskSucceeds() throws Exception {
        Script script = Script.of(
                Turn.toolUse("write_file", Map.of("file_path", "${cwd}/hello.txt", "content", "hello from qwen\n"))
                        .withUsage(new Turn.Usage(120, 30, 50, 0)),
                Turn.text("I created hello.txt.").withUsage(150, 12));
        try (MockChatServer server = MockChatServer.start(script); EngineHarness h = new EngineHarness(dir)) {
            hire(h);
            PlanSummary plan = h.plan(plan("hello", "- Create hello.txt", "qwen-1", env(server), Optional.of("test -f hello.txt"), 1, ""));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            h.flushExtracted();

            SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()) + "\n"
                    + h.store.output().lines(session.id(), 0, 40));
            assertEquals("hello from qwen", Files.readString(Path.of(session.workingDir()).resolve("hello.txt")).strip());
            assertTrue(session.nativeSessionId().isPresent(), "Qwen Code's session_id stored");
            assertEquals(Map.of(QwenEnv.MODEL, new Price.Tokens(270, 42, 50, 0)), h.store.runs().tokens(end.id()).values().iterator().next());
            assertTrue(ofType(h, end.id(), "tool_call").stream().anyMatch(e -> e.message().startsWith("write_file")),
                    () -> ofType(h, end.id(), "tool_call").toString());
            assertTrue(ofType(h, end.id(), "file_change").stream().anyMatch(e -> e.message().endsWith("hello.txt")));
            assertEquals(List.of("passed"), h.store.runs().iterations(session.id()).stream().map(IterationRecord::status).toList());
            String asked = MockChatServer.lastUserText(server.conversationRequests().getFirst());
            assertTrue(asked.contains("- Create hello.txt"), "a prompt starting with '-' reached the model as written: " + asked);
        }
    }

    @Test
    void apiErrorFailsTheTaskWithTheErrorText() throws Exception {
        try (MockChatServer server = MockChatServer.start(Script.of(
                Turn.httpError(400, "invalid_request_error", "mock refused the request")));
             EngineHarness h = new EngineHarness(dir)) {
            hire(h);
            PlanSummary plan = h.plan(plan("fail", "Do it", "qwen-1", env(server), Optional.empty(), 1, ""));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            h.flushExtracted();

            assertEquals(RunState.FAILED, end.state());
            assertEquals(TaskState.FAILED, h.store.runs().tasks(end.id()).getFirst().state());
            String reason = h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow();
            // Qwen Code itself reports success and exits 0: the "[API Error: ...]" answer is what fails the turn.
            assertTrue(reason.contains("failed turn") && reason.contains("mock refused the request"), reason);
            assertTrue(ofType(h, end.id(), "error").stream().anyMatch(e -> e.message().contains("mock refused the request")),
                    () -> ofType(h, end.id(), "error").toString());
        }
    }

    @Test
    void finalQuestionWaitsForAnAnswerThatContinuesTheSameSession() throws Exception {
        String question = "Which file name should I use for the notes?";
        Script script = Script.of(Turn.text(question),
                Turn.toolUse("write_file", Map.of("file_path", "${cwd}/notes.txt", "content", "notes\n")), Turn.text("Written."));
        try (MockChatServer server = MockChatServer.start(script); EngineHarness h = new EngineHarness(dir)) {
            hire(h);
            PlanSummary plan = h.plan(plan("ask", "Write the notes", "qwen-1", env(server), Optional.of("test -f notes.txt"), 1, ""));
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            OrchestratorTest.waitFor(() -> !ofType(h, runId, "needs_input").isEmpty()
                    && h.store.runs().iterations(SessionLauncher.sessionId(runId, "ask", 1)).stream()
                    .anyMatch(i -> i.status().equals("interrupted")));
            Event asked = ofType(h, runId, "needs_input").getFirst();
            assertEquals(question, new ObjectMapper().readTree(asked.payload()).path("question").asText());
            assertEquals("waiting", h.store.agents().findByName("qwen-1").orElseThrow().status().id());
            String nativeId = h.store.runs().sessions(runId).getFirst().nativeSessionId().orElseThrow();

            h.orchestrator.answer(runId, "ask", "Use notes.txt").get(10, TimeUnit.SECONDS);
            RunSummary end = h.orchestrator.finished(runId).get(60, TimeUnit.SECONDS);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(runId).toString());
            SessionRecord session = h.store.runs().sessions(runId).getFirst();
            assertEquals(nativeId, session.nativeSessionId().orElseThrow(), "the answer continued the same Qwen Code session");
            assertTrue(Files.exists(Path.of(session.workingDir()).resolve("notes.txt")));
            String resumed = server.conversationRequests().get(1).toString();
            assertTrue(resumed.contains("Use notes.txt") && resumed.contains(question), resumed);
        }
    }

    @Test
    void hungModelServerIsCaughtByTheTasksWatchdogAndNothingIsLeftRunning() throws Exception {
        try (MockChatServer server = MockChatServer.start(Script.of(Turn.hang()));
             EngineHarness h = new EngineHarness(dir, 2, c -> c.withTick(Duration.ofMillis(200)))) {
            hire(h);
            PlanSummary plan = h.plan(plan("hang", "Do something", "qwen-1", env(server), Optional.empty(), 1,
                    "    watchdog: { silence: 3s }\n"));
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            StuckRuns.assertCaughtWithin(h, end, Duration.ofSeconds(3));
            assertEquals(1, server.conversationRequests().size(), "the request that hung");
        }
    }

    @Test
    void everyAwkwardPromptReachesTheModelExactlyAsWritten() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            hire(h);
            for (String prompt : AgentPlans.AWKWARD_PROMPTS) {
                try (MockChatServer server = MockChatServer.start(Script.of(Turn.text("Done.")))) {
                    PlanSummary plan = h.plan(plan("p" + prompt.length(), prompt, "qwen-1", env(server), Optional.empty(), 1, ""));
                    RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

                    assertEquals(RunState.SUCCEEDED, end.state(), () -> "prompt of " + prompt.length() + " chars: "
                            + h.store.output().lines(h.store.runs().sessions(end.id()).getFirst().id(), 0, 20));
                    String asked = MockChatServer.lastUserText(server.conversationRequests().getFirst());
                    assertTrue(asked.contains(prompt), () -> "the model was asked: " + asked.substring(0, Math.min(300, asked.length())));
                }
            }
        }
    }

    @Test
    void slowlyStreamedAnswerIsProgressNotAHang() throws Exception {
        Turn.Reply answer = Turn.text("A slow ");
        for (String piece : List.of("but ", "steady ", "answer, ", "one piece ", "at a time.")) {
            answer = answer.andText(piece);
        }
        try (MockChatServer server = MockChatServer.start(Script.of(Turn.slowly(answer, SLOW_PIECES)));
             EngineHarness h = new EngineHarness(dir, 2, c -> c.withTick(Duration.ofMillis(200)))) {
            hire(h);
            PlanSummary plan = h.plan(plan("slow", "Explain slowly", "qwen-1", env(server), Optional.empty(), 1,
                    "    watchdog: { silence: 3s }\n"));
            long t0 = System.nanoTime();
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString() + h.types());
            assertTrue(ofType(h, end.id(), "agent_stuck").isEmpty(), h.types()::toString);
            assertTrue(ms > 6_000, "the answer took longer than twice the silence, or the test proves nothing: " + ms + " ms");
        }
    }
}
