package dev.controlroom.orchestrator;

import dev.controlroom.app.EngineAssembly;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No process a session started outlives it, however it detached itself. */
class OrphansTest {
    @TempDir
    Path dir;

    /** Leaves a nohup child, a setsid child and a double-forked setsid grandchild, writing their pids. */
    private static final String LEAVE_CHILDREN = """
            nohup sleep 300 > /dev/null 2>&1 & echo $! > nohup.pid
            setsid sleep 300 > /dev/null 2>&1 & echo $! > setsid.pid
            ( setsid sleep 300 > /dev/null 2>&1 & echo $! > double.pid ) &
            sleep 0.5
            """;

    private List<Long> pids() throws Exception {
        List<Long> pids = new java.util.ArrayList<>();
        for (String name : List.of("nohup.pid", "setsid.pid", "double.pid")) {
            pids.add(Long.parseLong(Files.readString(dir.resolve(name)).strip()));
        }
        return pids;
    }

    @Test
    void childrenThatDetachedThemselvesEndWhenTheTaskEnds() throws Exception {
        Files.writeString(dir.resolve("leave.sh"), LEAVE_CHILDREN);
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: leaves
                    tasks:
                      - { id: leave, command: "sh leave.sh" }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            assertEquals(RunState.SUCCEEDED, end.state());
            List<Long> pids = pids();
            OrchestratorTest.waitFor(() -> pids.stream().noneMatch(OrchestratorTest::alive));
        }
    }

    @Test
    void childrenThatDetachedThemselvesEndWhenTheTaskTimesOut() throws Exception {
        Files.writeString(dir.resolve("leave.sh"), LEAVE_CHILDREN + "sleep 300\n");
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: leaves
                    tasks:
                      - { id: leave, command: "sh leave.sh", timeout: 2s }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);
            assertEquals(RunState.FAILED, end.state());
            List<Long> pids = pids();
            OrchestratorTest.waitFor(() -> pids.stream().noneMatch(OrchestratorTest::alive));
        }
    }

    @Test
    void anEngineStartingOnADatabaseEndsWhatAnEarlierEngineLeftRunning() throws Exception {
        Path db = dir.resolve("engine.db");
        String runId;
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: one
                    tasks:
                      - { id: a, command: "true" }
                    """);
            runId = h.runToEnd(plan, 1, WaveMode.DATAFLOW).id();
        }
        // As a process of that run left behind by an engine killed with -9: detached, carrying the run's id.
        ProcessBuilder pb = new ProcessBuilder("setsid", "sleep", "300");
        pb.environment().put("CONTROL_ROOM_RUN_ID", runId);
        Process orphan = pb.start();
        ProcessBuilder other = new ProcessBuilder("setsid", "sleep", "300");
        other.environment().put("CONTROL_ROOM_RUN_ID", "run-of-another-database");
        Process stranger = other.start();
        try (Store store = Store.open(db, Clock.systemUTC());
             EngineAssembly engine = new EngineAssembly(store, Clock.systemUTC(), dir, UnaryOperator.identity(), UnaryOperator.identity())) {
            assertTrue(orphan.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the orphan of this database's run was ended");
            assertTrue(stranger.isAlive(), "a process of another database's run is left alone");
        } finally {
            stranger.destroyForcibly();
        }
    }
}
