package dev.controlroom.orchestrator;

import dev.controlroom.ChildJvm;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill -9 in the middle of a run, then resume: the run continues where it was. */
class CrashResumeTest {
    @TempDir
    Path dir;

    @Test
    void runKilledMidwayIsResumedWithoutRedoingFinishedTasksAndItsOrphanIsEnded() throws Exception {
        Path plan = dir.resolve("crash.yaml");
        // The long task's first attempt ignores SIGHUP, so it outlives the killed JVM like a real orphan.
        Files.writeString(plan, """
                name: crash
                tasks:
                  - { id: first, command: "echo ran >> first.log" }
                  - id: long
                    depends_on: [first]
                    max_attempts: 2
                    command: |
                      if [ "$CONTROL_ROOM_ATTEMPT" = 1 ]; then trap '' HUP; nohup sleep 300 > /dev/null 2>&1 & echo $! > nohup.pid; ( setsid sleep 300 > /dev/null 2>&1 & echo $! > detached.pid ) & echo $$ > long.pid; sleep 120; fi
                      echo "attempt $CONTROL_ROOM_ATTEMPT" >> long.log
                  - { id: last, command: "echo done > last.log", depends_on: [long] }
                """);
        Path db = dir.resolve("cr.db");
        Process first = ChildJvm.start(dir, dir.resolve("run.out"), dir.resolve("run.err"), Map.of(),
                "run", plan.toString(), "--db", db.toString());
        Path pidFile = dir.resolve("long.pid");
        OrchestratorTest.waitFor(() -> Files.exists(pidFile) && Files.exists(dir.resolve("detached.pid")) && sessionPidStored(db));

        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long orphan = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(OrchestratorTest.alive(orphan), "the long task's process outlives the killed JVM");

        Process resume = ChildJvm.start(dir, dir.resolve("resume.out"), dir.resolve("resume.err"), Map.of(),
                "resume", "--db", db.toString());
        assertTrue(resume.waitFor(60, TimeUnit.SECONDS), "resume finishes");
        assertEquals(0, resume.exitValue(), Files.readString(dir.resolve("resume.err")));

        assertFalse(OrchestratorTest.alive(orphan), "the orphan of the old run was ended");
        for (String detached : List.of("nohup.pid", "detached.pid")) {
            long pid = Long.parseLong(Files.readString(dir.resolve(detached)).strip());
            OrchestratorTest.waitFor(() -> !OrchestratorTest.alive(pid));
        }
        assertEquals(List.of("ran"), Files.readAllLines(dir.resolve("first.log")), "a finished task is not run again");
        assertEquals(List.of("attempt 2"), Files.readAllLines(dir.resolve("long.log")));
        assertEquals("done", Files.readString(dir.resolve("last.log")).strip());
        try (Store store = Store.open(db, Clock.systemUTC())) {
            List<RunSummary> runs = store.runs().latest(10);
            assertEquals(1, runs.size(), "still one run, with its one id");
            assertEquals(RunState.SUCCEEDED, runs.getFirst().state());
            List<SessionRecord> sessions = store.runs().sessions(runs.getFirst().id());
            SessionRecord interrupted = sessions.stream().filter(s -> s.id().endsWith(".long.1")).findFirst().orElseThrow();
            assertEquals("interrupted", interrupted.status());
            assertEquals(Optional.of("its process outlived Control Room and was ended"), interrupted.endReason());
            assertEquals(List.of("interrupted"), store.runs().iterations(interrupted.id()).stream().map(i -> i.status()).toList(),
                    "its iteration ended with it, not left running");
            SessionRecord second = sessions.stream().filter(s -> s.id().endsWith(".long.2")).findFirst().orElseThrow();
            assertEquals(2, second.attempt());
            assertEquals(Optional.of(0), second.exitCode());
            assertEquals(1, sessions.stream().filter(s -> s.id().contains(".first.")).count());
            assertTrue(store.events().latest(200).stream().anyMatch(e -> e.type().id().equals("orphan_killed")));
        }
        assertTrue(Files.readString(dir.resolve("resume.out")).contains("succeeded: 3 succeeded (of 3)"),
                Files.readString(dir.resolve("resume.out")));
    }

    private static boolean sessionPidStored(Path db) {
        try (Store store = Store.open(db, Clock.systemUTC())) {
            return store.runs().latest(1).stream().flatMap(r -> store.runs().sessions(r.id()).stream())
                    .anyMatch(s -> s.id().endsWith(".long.1") && s.pid().isPresent());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
