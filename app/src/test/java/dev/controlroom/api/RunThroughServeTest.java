package dev.controlroom.api;

import dev.controlroom.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A `run` from a terminal while `serve` runs the engine on the same database (two real processes):
 * the plan and the run go to the running engine through its API, and the terminal gets the same
 * progress, summary and exit codes as a run of its own — no second engine, no refusal.
 */
class RunThroughServeTest {
    @TempDir
    Path dir;

    @Test
    void aRunFromATerminalGoesToTheEngineServeRuns() throws Exception {
        Path db = dir.resolve("control-room.db");
        Process serve = ChildJvm.start(dir, dir.resolve("serve.out"), dir.resolve("serve.err"), Map.of(), "serve", "--db", db.toString(),
                "--port", "0");
        try {
            ApiServeCommandTest.awaitLine(dir.resolve("serve.out"), serve);
            Path plan = Files.writeString(dir.resolve("two.yaml"), """
                    name: two steps
                    tasks:
                      - { id: make, command: 'echo made > made.txt' }
                      - { id: check, command: 'grep -q made made.txt', depends_on: [make] }
                    """);
            Process run = ChildJvm.start(dir, dir.resolve("run.out"), dir.resolve("run.err"), Map.of(), "run", plan.toString(),
                    "--db", db.toString());
            assertTrue(run.waitFor(90, TimeUnit.SECONDS), "the run finishes");
            String err = Files.readString(dir.resolve("run.err"));
            assertEquals(0, run.exitValue(), err + Files.readString(dir.resolve("run.out")));
            assertTrue(err.contains("runs this database: the run goes to its engine (http://127.0.0.1:"), err);
            assertTrue(Files.readString(dir.resolve("run.out")).contains("succeeded: 2 succeeded (of 2)"), Files.readString(dir.resolve("run.out")));
            assertEquals("made", Files.readString(dir.resolve("made.txt")).strip(), "relative paths resolve beside the plan file");

            Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                    name: bad
                    tasks:
                      - { id: a, command: 'true', depends_on: [nope] }
                    """);
            Process refused = ChildJvm.start(dir, dir.resolve("bad.out"), dir.resolve("bad.err"), Map.of(), "run", bad.toString(),
                    "--db", db.toString());
            assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
            String badErr = Files.readString(dir.resolve("bad.err"));
            assertEquals(2, refused.exitValue(), badErr);
            assertTrue(badErr.contains(bad + ":3:") && badErr.contains("nope") && badErr.contains("1 problem(s); nothing was stored"), badErr);
        } finally {
            serve.toHandle().destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
    }

    @Test
    void anAnswerFromAnotherTerminalReachesTheWaitingAgent() throws Exception {
        Path db = dir.resolve("control-room.db");
        Process serve = ChildJvm.start(dir, dir.resolve("serve.out"), dir.resolve("serve.err"), Map.of(), "serve", "--db", db.toString(),
                "--port", "0");
        try {
            ApiServeCommandTest.awaitLine(dir.resolve("serve.out"), serve);
            Path plan = Files.writeString(dir.resolve("ask.yaml"), """
                    name: ask
                    tasks:
                      - { id: confirm, command: 'read -r -p "Deploy now? (y/n) " a; echo "answer: $a" > answer.txt' }
                    """);
            Process run = ChildJvm.start(dir, dir.resolve("run.out"), dir.resolve("run.err"), Map.of(), "run", plan.toString(),
                    "--db", db.toString());
            String runId = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (runId == null && System.nanoTime() < deadline) {
                try (dev.controlroom.store.Store store = dev.controlroom.store.Store.open(db, java.time.Clock.systemUTC())) {
                    runId = store.events().latest(200).stream().filter(e -> e.type() == dev.controlroom.domain.EventType.NEEDS_INPUT)
                            .findFirst().flatMap(dev.controlroom.domain.Event::runId).orElse(null);
                }
                Thread.sleep(200);
            }
            assertTrue(runId != null, "the task asks within a minute");

            Process answer = ChildJvm.start(dir, dir.resolve("answer.out"), dir.resolve("answer.err"), Map.of(), "answer", runId, "confirm", "y",
                    "--db", db.toString());
            assertTrue(answer.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, answer.exitValue(), Files.readString(dir.resolve("answer.err")));
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run goes on and finishes");
            assertEquals(0, run.exitValue(), Files.readString(dir.resolve("run.err")));
            assertEquals("answer: y", Files.readString(dir.resolve("answer.txt")).strip());
        } finally {
            serve.toHandle().destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
    }

    @Test
    void anAnswerWithNoEngineRunningSaysWhatToDo() throws Exception {
        Path db = dir.resolve("idle.db");
        Path plan = Files.writeString(dir.resolve("one.yaml"), "name: one\ntasks:\n  - { id: a, command: 'true' }\n");
        Process run = ChildJvm.start(dir, dir.resolve("run.out"), dir.resolve("run.err"), Map.of(), "run", plan.toString(), "--db", db.toString());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        String runId;
        try (dev.controlroom.store.Store store = dev.controlroom.store.Store.open(db, java.time.Clock.systemUTC())) {
            runId = store.runs().latest(1).getFirst().id();
        }
        Process answer = ChildJvm.start(dir, dir.resolve("answer.out"), dir.resolve("answer.err"), Map.of(), "answer", runId, "a", "yes",
                "--db", db.toString());
        assertTrue(answer.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, answer.exitValue());
        String err = Files.readString(dir.resolve("answer.err"));
        assertTrue(err.contains("no Control Room engine runs") && err.contains("control-room serve"), err);
    }
}
