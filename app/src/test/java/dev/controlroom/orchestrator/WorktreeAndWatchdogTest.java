package dev.controlroom.orchestrator;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.testsupport.GitRepos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tasks in their own git worktrees, and the watchdog catching a silent agent. Real git, real processes. */
class WorktreeAndWatchdogTest {
    @TempDir
    Path dir;


    private Path repo() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        GitRepos.git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("README.md"), "hello\n");
        Files.writeString(repo.resolve(".gitignore"), ".env\n");
        Files.writeString(repo.resolve(".env"), "SECRET_SETTING=1\n");
        GitRepos.git(repo, "add", "README.md", ".gitignore");
        GitRepos.git(repo, "commit", "-q", "-m", "first");
        return repo;
    }

    @Test
    void taskWithAWorktreeRunsOnItsOwnBranchWithItsFilesSetupAndPort() throws Exception {
        Path repo = repo();
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: wt
                    tasks:
                      - id: feature
                        command: 'pwd > where.txt; git rev-parse --abbrev-ref HEAD > branch.txt; cat .env > env.txt; echo "$PORT" > port.txt; test -f setup.done'
                        context: { repo: repo, worktree: true, copy_files: [.env], setup: ["touch setup.done"] }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state());
            SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
            Path worktree = Path.of(session.workingDir());
            assertTrue(worktree.startsWith(dir.resolve("worktrees")), worktree.toString());
            assertEquals(worktree.toRealPath().toString(), Files.readString(worktree.resolve("where.txt")).strip());
            String branch = "cr/" + end.id() + "/feature";
            assertEquals(branch, Files.readString(worktree.resolve("branch.txt")).strip());
            assertEquals(branch, session.branch().orElseThrow());
            assertEquals("SECRET_SETTING=1", Files.readString(worktree.resolve("env.txt")).strip());
            assertTrue(Integer.parseInt(Files.readString(worktree.resolve("port.txt")).strip()) > 0);
            assertFalse(Files.exists(repo.resolve("where.txt")), "the main checkout is untouched");
            assertTrue(Files.isDirectory(worktree), "the worktree stays until its result is merged or discarded");
        }
    }

    @Test
    void worktreeOutsideAGitRepositoryFailsSayingSo() throws Exception {
        Files.createDirectories(dir.resolve("plain"));
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: nogit
                    tasks:
                      - { id: t, command: "true", context: { repo: plain, worktree: true } }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            String reason = h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow();
            assertTrue(reason.contains("is not inside a git repository"), reason);
        }
    }

    @Test
    void silentAgentWithNoBusyChildIsFlaggedStuckAndRestarted() throws Exception {
        try (EngineHarness h = new EngineHarness(dir, 2, c -> c.withTick(Duration.ofMillis(100)).withNoOutputLimit(Duration.ofMillis(800)))) {
            PlanSummary plan = h.plan("""
                    name: silent
                    tasks:
                      - id: hang
                        max_attempts: 2
                        command: 'if [ "$CONTROL_ROOM_ATTEMPT" = 1 ]; then echo thinking; exec sleep 60; fi; echo done'
                    """);
            long t0 = System.nanoTime();
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            assertEquals(RunState.SUCCEEDED, end.state());
            assertTrue(ms < 10_000, "caught within the threshold, took " + ms + " ms");
            assertTrue(h.types().contains("agent_stuck"));
            var stuck = h.events.stream().filter(e -> e.type().id().equals("agent_stuck")).findFirst().orElseThrow();
            assertTrue(stuck.message().contains("no progress for"), stuck.message());
            List<SessionRecord> sessions = h.store.runs().sessions(end.id());
            assertEquals("killed", sessions.getFirst().status());
            assertTrue(sessions.getFirst().endReason().orElseThrow().startsWith("stuck (no progress for"), sessions.getFirst().endReason().orElseThrow());
        }
    }

    @Test
    void silentAgentWhoseChildIsWorkingIsNotStuck() throws Exception {
        try (EngineHarness h = new EngineHarness(dir, 2, c -> c.withTick(Duration.ofMillis(100)).withNoOutputLimit(Duration.ofMillis(500)))) {
            // A "build" that burns CPU quietly for two seconds: the agent waits on it, it is not stuck.
            Files.writeString(dir.resolve("busy.sh"), "end=$(($(date +%s)+2)); while [ $(date +%s) -lt $end ]; do :; done\n");
            PlanSummary plan = h.plan("""
                    name: busy
                    tasks:
                      - { id: build, command: 'echo start; sh busy.sh; echo end' }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state(), () -> h.store.runs().tasks(end.id()).toString()
                    + h.store.output().lines(h.store.runs().sessions(end.id()).getFirst().id(), 0, 50));
            assertFalse(h.types().contains("agent_stuck"), h.types().toString());
        }
    }

    @Test
    void aPromptLeftOnAnOpenLineIsAQuestionWithinASecondOfThePauseAndTheAnswerGoesOn() throws Exception {
        try (EngineHarness h = new EngineHarness(dir, 2, c -> c.withTick(Duration.ofMillis(100)).withNoOutputLimit(Duration.ofSeconds(2)))) {
            PlanSummary plan = h.plan("""
                    name: ask
                    tasks:
                      - { id: confirm, command: 'echo ready; read -r -p "Proceed with the upgrade? (y/n) " a; echo "got $a"' }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            long t0 = System.nanoTime();
            var asked = waitFor(h, "needs_input", 5_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            assertTrue(asked.message().contains("Proceed with the upgrade? (y/n)"), asked.message());
            assertTrue(ms < 2_000, "seen " + ms + " ms after the task started (the prompt comes at once)");
            Thread.sleep(2_500); // longer than the silence threshold: a session waiting for an answer is not stuck
            assertFalse(h.types().contains("agent_stuck"), h.types().toString());

            h.orchestrator.answer(runId, "confirm", "y").get(5, TimeUnit.SECONDS);
            RunSummary end = h.orchestrator.finished(runId).get(20, TimeUnit.SECONDS);
            assertEquals(RunState.SUCCEEDED, end.state());
            h.flushExtracted();
            String session = h.store.runs().sessions(end.id()).getFirst().id();
            assertTrue(h.store.output().lines(session, 0, 10).stream().anyMatch(l -> l.toString().contains("got y")),
                    () -> h.store.output().lines(session, 0, 10).toString());
            assertEquals(1, h.events.stream().filter(e -> e.type().id().equals("needs_input")).count(), "asked once, not again when the answer is echoed");
        }
    }

    @Test
    void aQuestionNobodyCanAnswerIsNotAskedAgainByARetry() throws Exception {
        try (EngineHarness h = new EngineHarness(dir, 2, c -> c.withNobodyToAsk(true))) {
            PlanSummary plan = h.plan("""
                    name: headless
                    tasks:
                      - { id: ask, max_attempts: 3, command: 'echo "Should I overwrite the config? (y/n)"' }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            var task = h.store.runs().tasks(end.id()).getFirst();
            assertEquals(1, task.attempts(), "asking again cannot help");
            assertTrue(task.reason().orElseThrow().contains("Should I overwrite the config?"), task.reason().orElseThrow());
            assertTrue(task.reason().orElseThrow().contains("not retried"), task.reason().orElseThrow());
        }
    }

    @Test
    void whatTheAgentPrintedIsInTheLogBeforeTheEngineSaysHowItsTaskEnded() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: order
                    tasks:
                      - { id: broken, command: 'echo "error: the build is broken"; exit 2' }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            var log = h.store.events().latest(100).reversed();
            long error = log.stream().filter(e -> e.type().id().equals("error")).findFirst().orElseThrow(() -> new AssertionError(log)).id();
            long failed = log.stream().filter(e -> e.type().id().equals("task_failed")).findFirst().orElseThrow().id();
            long finished = log.stream().filter(e -> e.type().id().equals("run_finished")).findFirst().orElseThrow().id();
            assertTrue(error < failed && failed < finished, "error " + error + ", task_failed " + failed + ", run_finished " + finished
                    + " of run " + end.id());
        }
    }

    private static dev.controlroom.domain.Event waitFor(EngineHarness h, String type, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            var found = h.events.stream().filter(e -> e.type().id().equals(type)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type + " event in " + millis + " ms: " + h.types());
    }
}
