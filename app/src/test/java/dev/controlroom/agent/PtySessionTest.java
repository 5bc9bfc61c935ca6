package dev.controlroom.agent;

import dev.controlroom.agent.PtyTestSupport.Collected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.controlroom.agent.PtyTestSupport.TIMEOUT;
import static dev.controlroom.agent.PtyTestSupport.awaitLine;
import static dev.controlroom.agent.PtyTestSupport.environment;
import static dev.controlroom.agent.PtyTestSupport.readers;
import static dev.controlroom.agent.PtyTestSupport.running;
import static dev.controlroom.agent.PtyTestSupport.sessionId;
import static dev.controlroom.agent.PtyTestSupport.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real /bin/sh in a real PTY. */
@DisabledOnOs(OS.WINDOWS)
class PtySessionTest {
    @TempDir
    Path dir;

    private static int exitCode(PtySession session) throws Exception {
        return session.exit().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void outputOfACommandReachesTheSinkCompletelyAndInOrder() throws Exception {
        Collected out = new Collected();
        String loop = "i=1; while [ $i -le 20000 ]; do echo \"line $i\"; i=$((i+1)); done";

        try (PtySession session = PtySession.start(shell(loop, dir), out, readers())) {
            assertEquals(0, exitCode(session));
        }

        List<String> expected = IntStream.rangeClosed(1, 20000).mapToObj(i -> "line " + i).toList();
        assertEquals(expected, List.of(out.text().split("\r\n")));
    }

    @Test
    void outputIsDeliveredOnTheReaderThreadFromTheFactory() throws Exception {
        Collected out = new Collected();

        try (PtySession session = PtySession.start(shell("echo hello", dir), out, readers())) {
            exitCode(session);
        }

        assertTrue(out.threadName().startsWith("pty-reader-test-"), out.threadName());
    }

    @Test
    void exitCodeIsReportedAfterAllOutputWasDelivered() throws Exception {
        // Repeated because losing the last bytes is a race: one lucky run proves little.
        for (int run = 0; run < 20; run++) {
            Collected out = new Collected();
            try (PtySession session = PtySession.start(shell("printf x; exit 3", dir), out, readers())) {
                assertEquals(3, exitCode(session));
                assertEquals("x", out.text(), "run " + run);
            }
        }
    }

    @Test
    void processEndedBySignalReportsOneHundredTwentyEightPlusTheSignal() throws Exception {
        try (PtySession session = PtySession.start(shell("kill -TERM $$", dir), new Collected(), readers())) {
            assertEquals(128 + 15, exitCode(session));
        }
    }

    @Test
    void environmentAndWorkingDirectoryAreThoseOfTheSpec() throws Exception {
        Collected out = new Collected();
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "CR_GREETING", "hello there");
        ProcessSpec spec = new ProcessSpec(ProcessSpec.shellCommand("echo \"[$CR_GREETING][$(pwd)][${HOME-unset}]\""),
                dir, env, 80, 24);

        try (PtySession session = PtySession.start(spec, out, readers())) {
            assertEquals(0, exitCode(session));
        }

        assertEquals("[hello there][" + dir.toRealPath() + "][unset]\r\n", out.text());
    }

    @Test
    void missingWorkingDirectoryIsRefusedWithItsPath() {
        Path missing = dir.resolve("not-there");

        IOException e = assertThrows(IOException.class,
                () -> PtySession.start(shell("echo never", missing), new Collected(), readers()));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("/bin/sh"), e.getMessage());
    }

    @Test
    void missingExecutableIsRefusedWithItsNameAndDirectory() {
        ProcessSpec spec = new ProcessSpec(List.of("no-such-agent-cli", "--help"), dir, environment(), 80, 24);

        IOException e = assertThrows(IOException.class, () -> PtySession.start(spec, new Collected(), readers()));

        assertTrue(e.getMessage().contains("no-such-agent-cli"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void relativeExecutableIsTakenFromTheWorkingDirectory() throws Exception {
        Path script = dir.resolve("tool.sh");
        Files.writeString(script, "#!/bin/sh\necho tool ran\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Collected out = new Collected();

        try (PtySession session = PtySession.start(new ProcessSpec(List.of("./tool.sh"), dir, environment(), 80, 24),
                out, readers())) {
            assertEquals(0, exitCode(session));
        }

        assertEquals("tool ran\r\n", out.text());
    }

    @Test
    void typedInputReachesTheProcess() throws Exception {
        Collected out = new Collected();

        try (PtySession session = PtySession.start(shell("read line; echo got:$line", dir), out, readers())) {
            session.write("hello\r".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, exitCode(session));
        }

        assertTrue(out.text().contains("got:hello"), out.text());
    }

    @Test
    void resizeIsSeenByTheProcess() throws Exception {
        Collected out = new Collected();

        try (PtySession session = PtySession.start(shell("stty size; read _; stty size", dir), out, readers())) {
            out.await("24 80");
            session.resize(100, 30);
            session.write("\r".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, exitCode(session));
        }

        assertTrue(out.text().contains("30 100"), out.text());
    }

    @Test
    void writingAfterTheProcessExitedIsRefused() throws Exception {
        try (PtySession session = PtySession.start(shell("true", dir), new Collected(), readers())) {
            exitCode(session);

            assertThrows(IOException.class, () -> session.write("late\r".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void startTimeIsThatOfTheRunningProcess() throws Exception {
        try (PtySession session = PtySession.start(shell("sleep 1000", dir), new Collected(), readers())) {
            Instant started = session.startTime().orElseThrow();

            assertTrue(Duration.between(started, Instant.now()).abs().compareTo(Duration.ofSeconds(5)) < 0, started::toString);
            assertTrue(ProcessTree.isSameProcessAlive(session.pid(), started));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void killTreeEndsTheProcessAndItsSetsidGrandchildren() throws Exception {
        String script = "setsid sh -c 'echo $$ > setsid.pid; exec sleep 1000' & "
                + "sleep 1000 & echo $! > plain.pid; wait";
        try (PtySession session = PtySession.start(shell(script, dir), new Collected(), readers())) {
            long detached = Long.parseLong(awaitLine(dir.resolve("setsid.pid")));
            long plain = Long.parseLong(awaitLine(dir.resolve("plain.pid")));
            assertNotEquals(sessionId(session.pid()), sessionId(detached), "setsid left the terminal's session");

            session.killTree(Duration.ofSeconds(2));

            assertEquals(128 + 15, exitCode(session));
            assertFalse(session.isAlive());
            assertFalse(running(detached), "setsid grandchild");
            assertFalse(running(plain), "background child");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void closeEndsBackgroundJobsLeftBehindByAProcessThatExited() throws Exception {
        // The job ignores SIGHUP, which the kernel sends when the terminal's session leader exits;
        // the shell exits only once the job has said so.
        String script = "sh -c 'trap \"\" HUP; echo $$ > job.pid; exec sleep 1000' & "
                + "while [ ! -s job.pid ]; do sleep 0.01; done; exit 0";
        PtySession session = PtySession.start(shell(script, dir), new Collected(), readers());
        long job = Long.parseLong(awaitLine(dir.resolve("job.pid")));
        assertEquals(0, exitCode(session));
        assertTrue(running(job), "the job outlived the shell");

        session.close();

        assertFalse(running(job));
    }

    @Test
    void closeEndsARunningProcess() throws Exception {
        PtySession session = PtySession.start(shell("sleep 1000", dir), new Collected(), readers());

        session.close();

        assertFalse(session.isAlive());
        assertTrue(session.exit().isDone());
    }

    @Test
    void aFailingSinkFailsTheExitButTheProcessStillRunsToItsEnd() throws Exception {
        OutputSink failing = (buffer, length) -> {
            throw new IllegalStateException("display gone");
        };

        try (PtySession session = PtySession.start(shell("echo a; sleep 0.1; echo b; exit 4", dir), failing, readers())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> exitCode(session));

            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertFalse(session.isAlive());
        }
    }
}
