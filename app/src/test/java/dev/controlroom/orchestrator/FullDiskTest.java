package dev.controlroom.orchestrator;

import dev.controlroom.bench.SmallDisk;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.store.WriteHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database lives on a real disk that fills up (a small tmpfs filled to the last byte while a
 * task runs) and is freed again: SQLite gets SQLITE_FULL, and nothing the task printed or how it
 * ended is lost.
 */
@Timeout(120)
class FullDiskTest {
    static final int LINES = 3000;

    @TempDir
    Path dir;

    private final ProductLog log = new ProductLog();

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void aTaskPrintingWhileTheDiskIsFullKeepsEveryLineAndItsExitCodeDecidesItsVerdict() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 16); EngineHarness h = new EngineHarness(disk.path())) {
            RunSummary earlier = h.runToEnd(h.plan("""
                    name: earlier
                    tasks:
                      - { id: hello, command: "echo stored before the disk filled" }
                    """), 1, WaveMode.DATAFLOW);
            String earlierSession = h.store.runs().sessions(earlier.id()).getFirst().id();
            List<WriteHealth.State> states = new CopyOnWriteArrayList<>();
            h.store.health().addListener(states::add);
            // Beside the small disk, which is full when the task writes it.
            Path printed = dir.resolve("printed");
            PlanSummary plan = h.plan("""
                    name: chatty
                    tasks:
                      - id: chatty
                        max_attempts: 1
                        command: "i=0; while [ $i -lt %d ]; do i=$((i+1)); echo \\"line $i of a task that keeps printing while the disk is full\\"; [ $((i %% 50)) -eq 0 ] && sleep 0.05; done; touch '%s'; exit 3"
                    """.formatted(LINES, printed));
            log.clear();
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            waitFor(() -> !h.store.runs().sessions(runId).isEmpty() && h.store.output().lineCount(sessionOf(h, runId)) >= 300,
                    "the task's first lines stored");

            disk.fill();
            waitFor(() -> h.store.health().state().condition() == WriteHealth.Condition.DISK_FULL, "the database to find the disk full");
            // The process prints its last line and exits while the disk is still full.
            waitFor(() -> java.nio.file.Files.exists(printed), "the task to print its last line");
            Thread.sleep(1_500);
            long storedWhileFull = h.store.output().lineCount(sessionOf(h, runId));
            disk.free();
            RunSummary end = h.orchestrator.finished(runId).get(60, TimeUnit.SECONDS);

            assertTrue(storedWhileFull < LINES, "the disk was full while the task printed (" + storedWhileFull + " lines stored then)");
            List<String> expected = IntStream.rangeClosed(1, LINES)
                    .mapToObj(i -> "line " + i + " of a task that keeps printing while the disk is full").toList();
            assertEquals(expected, h.store.output().lines(sessionOf(h, runId), 0, LINES + 10), "every line once, in order");
            SessionRecord session = h.store.runs().sessions(runId).getFirst();
            assertEquals(Optional.of(3), session.exitCode(), "the process's own exit code");
            assertEquals("exited", session.status());
            assertEquals(RunState.FAILED, end.state());
            var task = h.store.runs().tasks(runId).getFirst();
            assertEquals(TaskState.FAILED, task.state());
            assertEquals(Optional.of("exited with code 3"), task.reason(), "the verdict comes from the exit, not from the full disk");
            assertEquals(List.of("stored before the disk filled"), h.store.output().lines(earlierSession, 0, 10), "earlier output kept");
            assertEquals("ok", integrity(disk.path().resolve("engine.db")));
            assertTrue(states.stream().anyMatch(s -> s.condition() == WriteHealth.Condition.DISK_FULL && s.heldBytes() > 0),
                    "the window heard of the full disk and the output held: " + states);
            assertEquals(WriteHealth.Condition.WRITING, h.store.health().state().condition(), "cleared once written");
            assertOneLineForTheConditionAndOneWhenItClears("the disk is full");
        }
    }

    @Test
    void aTaskStartedWhileTheDiskIsFullWaitsAndRunsOnceThereIsRoom() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 16); EngineHarness h = new EngineHarness(disk.path())) {
            PlanSummary plan = h.plan("""
                    name: patient
                    tasks:
                      - { id: first, command: "echo one; echo two; exit 0" }
                      - { id: second, command: "echo three", depends_on: [first] }
                    """);
            log.clear();
            disk.fill();
            CompletableFuture<String> started = h.orchestrator.start(plan.id(), new RunOptions(1, WaveMode.DATAFLOW, "cli"));
            waitFor(() -> h.store.health().state().condition() == WriteHealth.Condition.DISK_FULL, "the database to find the disk full");
            Thread.sleep(2_000);
            disk.free();
            String runId = started.get(30, TimeUnit.SECONDS);
            RunSummary end = h.orchestrator.finished(runId).get(60, TimeUnit.SECONDS);

            assertEquals(RunState.SUCCEEDED, end.state(), "the run waited for room instead of failing");
            for (var task : h.store.runs().tasks(runId)) {
                assertEquals(TaskState.SUCCEEDED, task.state());
                assertEquals(1, task.attempts(), "no attempt was spent on the full disk");
            }
            List<SessionRecord> sessions = h.store.runs().sessions(runId);
            assertEquals(2, sessions.size());
            assertTrue(sessions.stream().allMatch(s -> s.status().equals("exited") && s.exitCode().equals(Optional.of(0))), sessions.toString());
            assertEquals(List.of("one", "two"), h.store.output().lines(sessions.getFirst().id(), 0, 10));
            assertEquals("ok", integrity(disk.path().resolve("engine.db")));
            assertOneLineForTheConditionAndOneWhenItClears("the disk is full");
        }
    }

    private void assertOneLineForTheConditionAndOneWhenItClears(String condition) {
        List<String> lines = log.messages();
        assertEquals(1, log.count("refuses writes: " + condition), "one line for the condition: " + lines);
        assertEquals(1, log.count("takes writes again after"), "one line when it clears: " + lines);
        assertFalse(log.anyStackTrace(), "no stack trace while the disk was full: " + lines);
        assertTrue(lines.size() <= 6, "a few lines in all, not one per attempt: " + lines);
    }

    private static String sessionOf(EngineHarness h, String runId) {
        return h.store.runs().sessions(runId).getFirst().id();
    }

    private static String integrity(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            return r.getString(1);
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 20 s for " + what);
            }
            Thread.sleep(20);
        }
    }
}
