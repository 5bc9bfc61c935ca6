package dev.controlroom.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static dev.controlroom.agent.PtyTestSupport.awaitLine;
import static dev.controlroom.agent.PtyTestSupport.procState;
import static dev.controlroom.agent.PtyTestSupport.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Process identity and tree killing on real processes, started here with a plain ProcessBuilder. */
@DisabledOnOs(OS.WINDOWS)
class ProcessTreeTest {
    @TempDir
    Path dir;

    private static final long SELF = ProcessHandle.current().pid();

    private static Instant selfStart() {
        return ProcessHandle.current().info().startInstant().orElseThrow();
    }

    @Test
    void theSameProcessIsRecognisedByItsStartTime() {
        assertTrue(ProcessTree.isSameProcessAlive(SELF, selfStart()));
        assertTrue(ProcessTree.isSameProcessAlive(SELF, selfStart().plusMillis(500)), "within a second is the same");
    }

    @Test
    void aDifferentStartTimeMeansAnotherProcessWithTheSamePid() {
        assertFalse(ProcessTree.isSameProcessAlive(SELF, selfStart().minusSeconds(3600)));
        assertFalse(ProcessTree.isSameProcessAlive(SELF, selfStart().plusSeconds(2)));
    }

    @Test
    void anExitedProcessIsNotAliveAndHasNoStartTime() throws Exception {
        Process p = new ProcessBuilder("true").start();
        Instant started = p.toHandle().info().startInstant().orElse(Instant.now());
        p.waitFor();

        assertFalse(ProcessTree.isSameProcessAlive(p.pid(), started));
        assertEquals(Optional.empty(), ProcessTree.startTime(p.pid()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aZombieIsNotAlive() throws Exception {
        // The child exits once its parent has become `sleep`, which never reaps it. (A child exiting at
        // once may be reaped by the shell before its exec.)
        Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0.2 & echo $!; exec sleep 30").start();
        try {
            long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().strip());
            long deadline = System.nanoTime() + PtyTestSupport.TIMEOUT.toNanos();
            while (procState(zombie).orElse('?') != 'Z') {
                assertTrue(System.nanoTime() < deadline, "no zombie appeared");
                Thread.sleep(5);
            }
            Instant started = ProcessTree.startTime(zombie).orElseThrow();
            assertTrue(ProcessHandle.of(zombie).orElseThrow().isAlive(), "the JDK calls a zombie alive");

            assertFalse(ProcessTree.isSameProcessAlive(zombie, started));
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void killTreeEndsAProcessWithItsChildrenAndCountsThem() throws Exception {
        Process root = new ProcessBuilder("/bin/sh", "-c",
                "sleep 1000 & echo $! > a.pid; setsid sleep 1000 & echo $! > b.pid; wait")
                .directory(dir.toFile()).start();
        long a = Long.parseLong(awaitLine(dir.resolve("a.pid")));
        long b = Long.parseLong(awaitLine(dir.resolve("b.pid")));

        int signalled = ProcessTree.killTree(root.pid(), Duration.ofSeconds(2));

        assertEquals(3, signalled);
        assertFalse(running(a));
        assertFalse(running(b));
        assertFalse(running(root.pid()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aChildIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        Process root = new ProcessBuilder("/bin/sh", "-c",
                "(trap '' TERM; exec sleep 1000) & echo $! > stubborn.pid; wait")
                .directory(dir.toFile()).start();
        long stubborn = Long.parseLong(awaitLine(dir.resolve("stubborn.pid")));
        // The trap is set by the subshell: wait until it has become sleep.
        while (!ProcessHandle.of(stubborn).flatMap(h -> h.info().command()).orElse("").endsWith("sleep")) {
            Thread.sleep(5);
        }

        long t0 = System.nanoTime();
        ProcessTree.killTree(root.pid(), Duration.ofMillis(300));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertFalse(running(stubborn));
        assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0, "waited the grace first: " + took);
    }

    @Test
    void killTreeOfAMissingPidSignalsNothing() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();

        assertEquals(0, ProcessTree.killTree(p.pid(), Duration.ofMillis(100)));
    }
}
