package dev.controlroom.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

import static org.junit.jupiter.api.Assertions.fail;

/** A sink that keeps everything, and the small waits the PTY tests share. */
final class PtyTestSupport {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private PtyTestSupport() {
    }

    static ThreadFactory readers() {
        return Thread.ofPlatform().name("pty-reader-test-", 1).daemon().factory();
    }

    /** This JVM's environment (for PATH), plus a terminal type so tools like stty behave. */
    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TERM", "xterm-256color");
        return env;
    }

    static ProcessSpec shell(String line, Path dir) {
        return new ProcessSpec(ProcessSpec.shellCommand(line), dir, environment(), 80, 24);
    }

    /** Collects the output; remembers which thread delivered it. */
    static final class Collected implements OutputSink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile String threadName = "";

        @Override
        public synchronized void onOutput(byte[] buffer, int length) {
            bytes.write(buffer, 0, length);
            threadName = Thread.currentThread().getName();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        String threadName() {
            return threadName;
        }

        void await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!text().contains(expected)) {
                if (System.nanoTime() > deadline) {
                    fail("no '" + expected + "' in the output within " + TIMEOUT + ", got: " + text());
                }
                Thread.sleep(5);
            }
        }
    }

    /** Waits for a file a test script writes, and returns its first line. */
    static String awaitLine(Path file) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    return lines.getFirst().strip();
                }
            }
            if (System.nanoTime() > deadline) {
                fail("nothing written to " + file + " within " + TIMEOUT);
            }
            Thread.sleep(5);
        }
    }

    /** The state letter of /proc/PID/stat (R, S, Z, ...), empty when the process is gone. */
    static Optional<Character> procState(long pid) {
        return procStatFields(pid).map(f -> f[0].charAt(0));
    }

    static Optional<Long> sessionId(long pid) {
        return procStatFields(pid).map(f -> Long.parseLong(f[3]));
    }

    /** Running means present and not a zombie: ProcessHandle.isAlive() is true for zombies. */
    static boolean running(long pid) {
        return procState(pid).map(s -> s != 'Z' && s != 'X').orElse(false);
    }

    private static Optional<String[]> procStatFields(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(line.substring(line.lastIndexOf(')') + 2).split(" "));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
