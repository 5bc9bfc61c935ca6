package dev.controlroom.agent;

import dev.controlroom.orchestrator.AgentRuntime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Runs sessions as real processes in pseudo-terminals, keeping every byte they print, and runs
 * verification commands as plain processes.
 */
public final class PtyAgentRuntime implements AgentRuntime {
    static final int COLUMNS = 120;
    static final int ROWS = 40;
    static final int QA_OUTPUT_LIMIT = 16 * 1024;

    private final OutputPersister persister;
    private final Clock clock;
    private final ThreadFactory readers;
    private final Executor verifyExecutor;
    private final Executor closer;
    private final BiConsumer<String, String> lineListener;

    /**
     * @param closer       where finished sessions are closed (a few milliseconds each, off the exit path)
     * @param lineListener hears every clean line of every session, with its session id, on the
     *                     session's reader thread (live views and extraction subscribe here)
     */
    public PtyAgentRuntime(OutputPersister persister, Clock clock, ThreadFactory readers, Executor verifyExecutor,
                           Executor closer, BiConsumer<String, String> lineListener) {
        this.persister = persister;
        this.clock = clock;
        this.readers = readers;
        this.verifyExecutor = verifyExecutor;
        this.closer = closer;
        this.lineListener = lineListener;
    }

    @Override
    public Process start(Launch launch) throws IOException {
        OutputRecorder recorder = new OutputRecorder(launch.sessionId(), clock, line -> lineListener.accept(launch.sessionId(), line));
        persister.register(recorder);
        PtySession session;
        try {
            session = PtySession.start(new ProcessSpec(launch.command(), launch.workingDir(), launch.environment(), COLUMNS, ROWS),
                    recorder, readers);
        } catch (IOException | RuntimeException e) {
            persister.finish(recorder);
            throw e;
        }
        // The exit counts once the output is stored: whoever reacts to it can read all of it.
        CompletableFuture<Integer> exit = session.exit().thenApply(code -> {
            persister.finish(recorder);
            return code;
        });
        // Closing frees the terminal and ends background jobs the task left in its session; it can
        // take a few milliseconds, so it happens beside whoever reacts to the exit, not before.
        exit.whenCompleteAsync((code, error) -> session.close(), closer);
        return new Process() {
            @Override
            public long pid() {
                return session.pid();
            }

            @Override
            public Optional<Instant> startTime() {
                return session.startTime();
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return exit;
            }

            @Override
            public void kill(Duration grace) {
                session.killTree(grace);
            }
        };
    }

    @Override
    public boolean endOrphan(long pid, Optional<Instant> startTime, Duration grace) {
        if (startTime.isEmpty() || !ProcessTree.isSameProcessAlive(pid, startTime.get())) {
            return false;
        }
        return ProcessTree.killTree(pid, grace) > 0;
    }

    @Override
    public CompletableFuture<List<Check>> verify(List<String> commands, Path dir, Map<String, String> environment, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            List<Check> checks = new ArrayList<>();
            for (String command : commands) {
                Check check = runCheck(command, dir, environment, timeout);
                checks.add(check);
                if (!check.passed()) {
                    break;
                }
            }
            return checks;
        }, verifyExecutor);
    }

    private static Check runCheck(String command, Path dir, Map<String, String> environment, Duration timeout) {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(ProcessSpec.shellCommand(command)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        try {
            java.lang.Process p = pb.start();
            p.getOutputStream().close();
            Tail tail = new Tail(QA_OUTPUT_LIMIT);
            Thread pump = Thread.ofVirtual().name("cr-verify-output").start(() -> tail.readAll(p.getInputStream()));
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                ProcessTree.killTree(p.pid(), Duration.ofSeconds(2));
            }
            pump.join(2000);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!done) {
                return new Check(command, Optional.empty(), false, tail.text() + "\n[timed out after " + timeout.toSeconds() + " s]", ms);
            }
            int code = p.exitValue();
            return new Check(command, Optional.of(code), code == 0, tail.text(), ms);
        } catch (IOException e) {
            return new Check(command, Optional.empty(), false, "could not run: " + e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(command, Optional.empty(), false, "interrupted", (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The last bytes of a stream: evidence stays readable, however much a check prints. */
    private static final class Tail {
        private final int limit;
        private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        private long dropped;

        Tail(int limit) {
            this.limit = limit;
        }

        void readAll(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (this) {
                        kept.write(buf, 0, n);
                        if (kept.size() > 2 * limit) {
                            byte[] all = kept.toByteArray();
                            dropped += all.length - limit;
                            kept.reset();
                            kept.write(all, all.length - limit, limit);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process went away: what was read is the evidence
            }
        }

        synchronized String text() {
            byte[] all = kept.toByteArray();
            int from = Math.max(0, all.length - limit);
            String s = new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
            long cut = dropped + from;
            return cut > 0 ? "[... " + cut + " bytes cut ...]\n" + s : s;
        }
    }
}
