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
}
