package dev.controlroom.orchestrator;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine with real PTY processes and a real SQLite file. */
class OrchestratorTest {
    @TempDir
    Path dir;

    private Map<String, TaskState> states(EngineHarness h, String runId) {
        Map<Long, String> keys = h.store.plans().tasksOf(h.store.runs().find(runId).orElseThrow().planId()).stream()
                .collect(Collectors.toMap(t -> t.id(), t -> t.key()));
        return h.store.runs().tasks(runId).stream().collect(Collectors.toMap(t -> keys.get(t.taskId()), RunTask::state));
    }

    private static long nanos(Path file) throws Exception {
        return Long.parseLong(Files.readString(file).strip());
    }

    @Test
    void finishedTaskStartsItsDependentsWithoutWaitingForTheTick() throws Exception {
        // A tick of an hour: only the exit event can start the next task.
        try (EngineHarness h = new EngineHarness(dir, 4, c -> c.withTick(Duration.ofHours(1)))) {
            PlanSummary plan = h.plan("""
                    name: chain
                    tasks:
                      - { id: a, command: "date +%s%N > a.start" }
                      - { id: b, command: "date +%s%N > b.start", depends_on: [a] }
                      - { id: c, command: "date +%s%N > c.start", depends_on: [b] }
                    """);
            long before = System.nanoTime();
            RunSummary end = h.runToEnd(plan, 4, WaveMode.DATAFLOW);
            long took = (System.nanoTime() - before) / 1_000_000;

            assertEquals(RunState.SUCCEEDED, end.state());
            assertTrue(took < 5_000, "a chain of three quick tasks took " + took + " ms");
            assertTrue(nanos(dir.resolve("a.start")) < nanos(dir.resolve("b.start")));
            assertTrue(nanos(dir.resolve("b.start")) < nanos(dir.resolve("c.start")));
        }
    }

    @Test
    void everyAgentProcessSeesTheOneRunIdOfItsRun() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: ids
                    tasks:
                      - { id: one, command: 'echo "$CONTROL_ROOM_RUN_ID $CONTROL_ROOM_TASK_ID $CONTROL_ROOM_SESSION_ID" > one.ids' }
                      - { id: two, command: 'echo "$CONTROL_ROOM_RUN_ID $CONTROL_ROOM_TASK_ID $CONTROL_ROOM_SESSION_ID" > two.ids', depends_on: [one] }
                    """);
            String runId = h.start(plan, 2, WaveMode.DATAFLOW);
            h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            List<SessionRecord> sessions = h.store.runs().sessions(runId);
            assertEquals(2, sessions.size());
            assertEquals(runId + " one " + sessions.get(0).id(), Files.readString(dir.resolve("one.ids")).strip());
            assertEquals(runId + " two " + sessions.get(1).id(), Files.readString(dir.resolve("two.ids")).strip());
            assertEquals(1, h.store.runs().latest(10).size(), "one run, one id");
            assertTrue(h.events.stream().filter(e -> e.runId().isPresent()).allMatch(e -> e.runId().get().equals(runId)));
        }
    }

    @Test
    void aFiredAgentFinishesItsSessionButTakesNoNewWork() throws Exception {
        try (EngineHarness h = new EngineHarness(dir, 4, c -> c)) {
            PlanSummary plan = h.plan("""
                    name: fired
                    tasks:
                      - { id: long, command: "sleep 1.5; touch long.ran" }
                      - { id: gate, command: "sleep 0.5" }
                      - { id: after, command: "touch after.ran", depends_on: [gate] }
                    """);
            String runId = h.start(plan, 4, WaveMode.DATAFLOW);
            long sh1 = h.store.agents().findByName("sh1").orElseThrow().id();
            h.store.agents().fire(sh1);
            h.orchestrator.rosterChanged();
            RunSummary end = h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            assertTrue(Files.exists(dir.resolve("long.ran")), "the running session was not cut short");
            assertFalse(Files.exists(dir.resolve("after.ran")), "a fired agent took new work");
            assertEquals(TaskState.SUCCEEDED, states(h, runId).get("long"));
            assertEquals(TaskState.FAILED, states(h, runId).get("after"));
            assertEquals(RunState.FAILED, end.state());
        }
    }

    @Test
    void failedTaskIsRetriedUpToItsBudgetThenFailsAndBlocksItsDependents() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: flaky
                    tasks:
                      - { id: flaky, command: "echo x >> attempts.txt; exit 7", max_attempts: 3 }
                      - { id: after, command: "true", depends_on: [flaky] }
                      - { id: later, command: "true", depends_on: [after] }
                      - { id: free, command: "true" }
                    """);
            String runId = h.start(plan, 2, WaveMode.DATAFLOW);
            RunSummary end = h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            assertEquals(RunState.FAILED, end.state());
            assertEquals(3, Files.readAllLines(dir.resolve("attempts.txt")).size());
            Map<String, TaskState> s = states(h, runId);
            assertEquals(Map.of("flaky", TaskState.FAILED, "after", TaskState.BLOCKED, "later", TaskState.BLOCKED,
                    "free", TaskState.SUCCEEDED), s);
            RunTask after = h.store.runs().tasks(runId).stream().filter(t -> t.state() == TaskState.BLOCKED).findFirst().orElseThrow();
            assertEquals("needs flaky, which failed", after.reason().orElseThrow());
            assertEquals(2, h.types().stream().filter(t -> t.equals("task_retry_scheduled")).count());
            assertEquals(List.of(7, 7, 7), h.store.runs().sessions(runId).stream().filter(x -> x.id().contains(".flaky."))
                    .map(x -> x.exitCode().orElseThrow()).toList());
        }
    }

    @Test
    void criticalFailurePausesTheRunUntilAPersonRetriesIt() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: critical
                    tasks:
                      - { id: gate, command: "test -f ok.flag", critical: true }
                      - { id: next, command: "true", depends_on: [gate] }
                    """);
            String runId = h.start(plan, 2, WaveMode.DATAFLOW);
            waitFor(() -> h.store.runs().find(runId).orElseThrow().state() == RunState.PAUSED);
            assertEquals(TaskState.NEEDS_DECISION, states(h, runId).get("gate"));
            assertEquals("critical task gate failed", h.store.runs().find(runId).orElseThrow().pauseReason().orElseThrow());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> h.orchestrator.resume(runId).get());
            assertTrue(refused.getCause().getMessage().contains("waits for a decision"));

            Files.writeString(dir.resolve("ok.flag"), "fixed");
            h.orchestrator.retryTask(runId, "gate").get();
            RunSummary end = h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            assertEquals(RunState.SUCCEEDED, end.state());
            assertEquals(Map.of("gate", TaskState.SUCCEEDED, "next", TaskState.SUCCEEDED), states(h, runId));
        }
    }

    @Test
    void skippingAFailedCriticalTaskLetsItsDependentsProceed() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: skip
                    tasks:
                      - { id: gate, command: "exit 1", critical: true }
                      - { id: next, command: "touch next.ran", depends_on: [gate] }
                    """);
            String runId = h.start(plan, 2, WaveMode.DATAFLOW);
            waitFor(() -> h.store.runs().find(runId).orElseThrow().state() == RunState.PAUSED);

            // The decision itself lets the paused run continue: no separate resume is needed.
            h.orchestrator.skipTask(runId, "gate").get();
            RunSummary end = h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            assertEquals(RunState.SUCCEEDED, end.state());
            assertTrue(Files.exists(dir.resolve("next.ran")));
            assertEquals(TaskState.SKIPPED, states(h, runId).get("gate"));
        }
    }

    @Test
    void barrierModeStartsAWaveOnlyWhenThePreviousOneIsFinished() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: barrier
                    tasks:
                      - { id: slow, command: "sleep 1; date +%s%N > slow.end" }
                      - { id: quick, command: "true" }
                      - { id: after-quick, command: "date +%s%N > after.start", depends_on: [quick] }
                    """);
            RunSummary end = h.runToEnd(plan, 4, WaveMode.BARRIER);

            assertEquals(RunState.SUCCEEDED, end.state());
            assertTrue(nanos(dir.resolve("slow.end")) < nanos(dir.resolve("after.start")),
                    "wave 1 must wait for the slow task of wave 0");
        }
    }

    @Test
    void dataflowModeStartsATaskAsSoonAsItsOwnDependenciesAreDone() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: dataflow
                    tasks:
                      - { id: slow, command: "sleep 2; date +%s%N > slow.end" }
                      - { id: quick, command: "true" }
                      - { id: after-quick, command: "date +%s%N > after.start", depends_on: [quick] }
                    """);
            RunSummary end = h.runToEnd(plan, 4, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state());
            assertTrue(nanos(dir.resolve("after.start")) < nanos(dir.resolve("slow.end")));
        }
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        try (EngineHarness h = new EngineHarness(dir, 4, c -> c.withTick(Duration.ofMillis(100)))) {
            PlanSummary plan = h.plan("""
                    name: timeout
                    tasks:
                      - { id: hang, command: "sleep 300 & echo $! > child.pid; wait", timeout: 1s }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            RunSummary end = h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            assertEquals(RunState.FAILED, end.state());
            RunTask t = h.store.runs().tasks(runId).getFirst();
            assertEquals("timed out after 1.0 s and was ended", t.reason().orElseThrow());
            long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
            waitFor(() -> !alive(child));
        }
    }

    @Test
    void workingDirectoryThatDoesNotExistFailsTheTaskWithItsPath() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: nodir
                    tasks:
                      - { id: lost, command: "true", context: { working_dir: no/such/dir } }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            String reason = h.store.runs().tasks(runId).getFirst().reason().orElseThrow();
            assertEquals("could not start: working directory " + dir.resolve("no/such/dir") + " does not exist", reason);
            assertEquals("failed_to_start", h.store.runs().sessions(runId).getFirst().status());
        }
    }

    @Test
    void aiTaskWithoutAnyAiAgentFailsAtOnceSayingWhatItNeeds() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: ai
                    tasks:
                      - { id: think, prompt: "write the notes" }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            assertEquals("no active agent can take it: it needs an AI agent (claude, codex, gemini, opencode, qwen, aider, ollama or custom)",
                    h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow());
        }
    }

    @Test
    void outputOfEverySessionIsStoredCompletely() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: output
                    tasks:
                      - id: talk
                        command: |
                          i=0; while [ $i -lt 5000 ]; do printf '\\033[32mline %d\\033[0m\\n' $i; i=$((i+1)); done
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            String session = h.store.runs().sessions(end.id()).getFirst().id();
            assertEquals(5000, h.store.output().lineCount(session));
            assertEquals(List.of("line 0", "line 1"), h.store.output().lines(session, 0, 2));
            assertEquals("line 4999", h.store.output().lines(session, 4999, 1).getFirst());
            assertTrue(new String(h.store.output().raw(session)).contains("\u001B[32mline 4999\u001B[0m"));
        }
    }

    @Test
    void illegalControlsAreRefusedWithAReason() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("name: x\ntasks:\n  - { id: a, command: 'true' }\n");
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            ExecutionException e = assertThrows(ExecutionException.class, () -> h.orchestrator.retryTask(end.id(), "a").get());
            assertEquals("run " + end.id() + " is succeeded", e.getCause().getMessage());
            ExecutionException unknown = assertThrows(ExecutionException.class, () -> h.orchestrator.pause("run-nope").get());
            assertEquals("no run with id run-nope", unknown.getCause().getMessage());
        }
    }

    @Test
    void cancellingARunEndsItsSessionsAndCancelsWhatIsLeft() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: cancel
                    tasks:
                      - { id: long, command: "sleep 300" }
                      - { id: after, command: "true", depends_on: [long] }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            waitFor(() -> states(h, runId).get("long") == TaskState.RUNNING);

            h.orchestrator.cancel(runId).get();
            RunSummary end = h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            assertEquals(RunState.CANCELLED, end.state());
            assertEquals(Map.of("long", TaskState.CANCELLED, "after", TaskState.CANCELLED), states(h, runId));
            assertEquals("killed", h.store.runs().sessions(runId).getFirst().status());
        }
    }

    @Test
    void secretsAreRedactedFromStoredOutputAndFactsAreExtracted() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: facts
                    tasks:
                      - id: talk
                        command: |
                          echo "export ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnop1234567890"
                          echo "Tests run: 5, Failures: 1, Errors: 0, Skipped: 0"
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            h.flushExtracted();

            String session = h.store.runs().sessions(end.id()).getFirst().id();
            String raw = new String(h.store.output().raw(session));
            assertFalse(raw.contains("abcdefghijklmnop1234567890"), raw);
            List<String> lines = h.store.output().lines(session, 0, 10);
            assertTrue(lines.getFirst().contains("[redacted]"), lines.toString());
            assertFalse(lines.getFirst().contains("abcdefghijklmnop"), lines.toString());
            var testResult = h.store.events().latest(100).stream().filter(e -> e.type().id().equals("test_result")).findFirst().orElseThrow();
            assertEquals(java.util.Optional.of(session), testResult.sessionId());
            assertTrue(testResult.message().contains("4 passed, 1 failed"), testResult.message());
        }
    }

    @Test
    void profileCapLimitsSessionsOfThatProfileWhateverTheAgentsAllow() throws Exception {
        try (EngineHarness h = new EngineHarness(dir, 4, c -> c.withProfileCaps(Map.of("shell", 1)))) {
            PlanSummary plan = h.plan("""
                    name: capped
                    tasks:
                      - { id: a, command: "sleep 0.3" }
                      - { id: b, command: "sleep 0.3" }
                      - { id: c, command: "sleep 0.3" }
                    """);
            RunSummary end = h.runToEnd(plan, 4, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state());
            int running = 0;
            int most = 0;
            for (var e : h.events) {
                if (e.type().id().equals("task_started")) {
                    most = Math.max(most, ++running);
                } else if (e.type().id().equals("task_succeeded")) {
                    running--;
                }
            }
            assertEquals(1, most, "one shell session at a time under a cap of 1");
        }
    }

    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aTaskWaitingForAnAnswerCanBeCancelledAndItsRunEnds() throws Exception {
        // The session waits with no process: ending it cannot wait for an exit that never comes.
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: asks
                    tasks:
                      - { id: ask, command: "echo 'Overwrite the existing file? (y/n)'" }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            waitFor(() -> h.types().contains("needs_input") && h.store.runs().sessions(runId).stream()
                    .anyMatch(s -> h.store.runs().iterations(s.id()).stream().anyMatch(i -> i.status().equals("interrupted"))));

            h.orchestrator.cancelTask(runId, "ask").get(10, TimeUnit.SECONDS);
            RunSummary end = h.orchestrator.finished(runId).get(10, TimeUnit.SECONDS);

            assertEquals(RunState.FAILED, end.state());
            assertEquals(TaskState.CANCELLED, states(h, runId).get("ask"));
            assertEquals("killed", h.store.runs().sessions(runId).getFirst().status());
        }
    }

    @Test
    void aRunOfTwentyThousandTasksIsCreatedWhole() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            StringBuilder yaml = new StringBuilder("name: big\ntasks:\n");
            for (int i = 0; i < 20_000; i++) {
                yaml.append("  - { id: t").append(i).append(", command: \"sleep 30\"")
                        .append(i == 0 ? "" : ", depends_on: [t" + (i - 1) + "]").append(" }\n");
            }
            PlanSummary plan = h.plan(yaml.toString());
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            h.orchestrator.cancel(runId).get(30, TimeUnit.SECONDS);

            assertEquals(20_000, h.store.runs().tasks(runId).size());
            assertEquals(RunState.CANCELLED, h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS).state());
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
