package dev.controlroom.orchestrator;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The database refuses writes for a while (another program holds its lock): nothing the engine saw is lost. */
@Timeout(90)
class StoreFaultsTest {
    @TempDir
    Path dir;

    @Test
    void anExitSeenWhileAnotherProgramHoldsTheDatabaseLockIsStoredOnceItLetsGo() throws Exception {
        try (ProductLog log = new ProductLog(); EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: busy
                    tasks:
                      - { id: first, command: "sleep 1; exit 0" }
                      - { id: second, command: "true", depends_on: [first] }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            // Longer than the database's own busy timeout (10 s): the write fails with SQLITE_BUSY unless tried again.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("engine.db"));
                 Statement lock = other.createStatement()) {
                lock.execute("BEGIN IMMEDIATE");
                Thread.sleep(13_000);
                lock.execute("ROLLBACK");
            }
            RunSummary end = h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            assertEquals(RunState.SUCCEEDED, end.state());
            assertEquals(TaskState.SUCCEEDED, h.store.runs().tasks(runId).getFirst().state());
            SessionRecord first = h.store.runs().sessions(runId).getFirst();
            assertEquals(java.util.Optional.of(0), first.exitCode(), "the exit code seen while the database was locked");
            assertEquals(1, h.store.runs().tasks(runId).getFirst().attempts(), "no attempt was spent on the lock");
            assertEquals(1, log.count("refuses writes: another program holds its lock"), "one line for the lock, not one per attempt: "
                    + log.messages());
            assertEquals(1, log.count("takes writes again after"), "one when it lets go: " + log.messages());
            assertFalse(log.anyStackTrace(), "no stack trace: " + log.messages());
        }
    }
}
