package dev.controlroom.agent;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process running in a pseudo-terminal, with a reader thread pumping its output into an {@link OutputSink}.
 * This is the only class that touches pty4j, which finds its native library itself: the system property
 * {@code pty4j.preferred.native.folder} (set at launch, not here) points it at a folder holding
 * {@code linux/x86-64/libpty.so} and friends instead of extracting them into a new /tmp/pty4j-* folder.
 */
public final class PtySession implements AutoCloseable {
    /** Big enough that a burst of output is one read and one sink call; a PTY rarely hands over more at once. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** How long close() lets the process tree shut down politely, and then waits for the reader to finish. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final PtyProcess process;
    private final long pid;
    /** Taken right after the start, so killTree can tell our process from a later one that got the same pid. */
    private final Optional<ProcessHandle> handle;
    private final Optional<Instant> startTime;
    private final OutputStream input;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private PtySession(PtyProcess process) {
        this.process = process;
        this.pid = process.pid();
        this.handle = ProcessHandle.of(pid);
        this.startTime = handle.flatMap(h -> h.info().startInstant());
        this.input = process.getOutputStream();
    }

    /**
     * Starts the process in a PTY and a reader thread (from {@code readerThreads}, which names it) that
     * pumps its output into {@code sink}.
     *
     * @throws IOException naming the command and the working directory when the directory or the executable
     *                     is missing or the process cannot be started
     */
    public static PtySession start(ProcessSpec spec, OutputSink sink, ThreadFactory readerThreads) throws IOException {
        if (!Files.isDirectory(spec.workingDir())) {
            // pty4j would start the process anyway, in whatever directory the failed chdir left it.
            throw cannotStart(spec, "the working directory does not exist");
        }
        List<String> argv = new ArrayList<>(spec.command());
        argv.set(0, executable(spec));
        PtyProcess process;
        try {
            process = new PtyProcessBuilder(argv.toArray(String[]::new))
                    .setEnvironment(spec.environment())
                    .setDirectory(spec.workingDir().toAbsolutePath().toString())
                    .setInitialColumns(spec.columns())
                    .setInitialRows(spec.rows())
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException(message(spec, e.getMessage()), e);
        }
        PtySession session = new PtySession(process);
        Thread reader = readerThreads.newThread(() -> session.pump(process.getInputStream(), sink));
        if (reader == null) {
            session.killTree(Duration.ZERO);
            session.releasePty();
            throw cannotStart(spec, "no reader thread was given for its output");
        }
        reader.start();
        return session;
    }

    public long pid() {
        return pid;
    }

    /** The start time the OS reports for the process; used after a crash to recognise our own orphans. */
    public Optional<Instant> startTime() {
        return startTime;
    }

    /**
     * Completes with the exit code (128 + signal number when a signal ended it) once the process has exited
     * and all its output was delivered to the sink. Completes exceptionally with the sink's exception when
     * the sink threw: the rest of the output was then drained but not delivered. What background jobs print
     * after the process exited is not delivered either: pty4j ends the stream at the exit.
     */
    public CompletableFuture<Integer> exit() {
        return exit.copy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Types into the terminal. May block while the process does not read its input and the PTY is full. */
    public void write(byte[] bytes) throws IOException {
        if (exit.isDone() || !process.isAlive()) {
            throw new IOException("process " + pid + " has exited: cannot type into its terminal");
        }
        synchronized (input) {
            // Always the whole array from offset 0: pty4j's stream copies a slice with an offset wrongly.
            input.write(bytes);
            input.flush();
        }
    }

    /** Sets the terminal size; the process gets SIGWINCH. Ignored once the process has exited. */
    public void resize(int columns, int rows) {
        ProcessSpec.requireSize(columns, rows);
        try {
            process.setWinSize(new WinSize(columns, rows));
        } catch (RuntimeException e) {
            if (process.isAlive()) {
                throw e;
            }
        }
    }

    /**
     * Kills the whole process tree (see {@link ProcessTree#killTree(long, Duration)}), including background
     * jobs left in the terminal's session after the process itself exited. Returns once all are gone (or
     * a second after SIGKILL); the reader then delivers the last output and completes {@link #exit()}.
     */
    public void killTree(Duration grace) {
        Optional<ProcessHandle> current = ProcessHandle.of(pid);
        if (current.isPresent() && !current.equals(handle)) {
            // The pid now belongs to another process: nothing found through it would be ours.
            return;
        }
        ProcessTree.killTree(pid, current, grace);
    }

    /**
     * Kills what is left of the process tree, the process itself if it still runs and any background jobs it
     * left behind, then waits (briefly) for the last output and frees the PTY.
     */
    @Override
    public void close() {
        killTree(CLOSE_GRACE);
        try {
            exit.get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The sink's failure is exit()'s to report; a reader still stuck is released by closing the PTY below.
        }
        releasePty();
    }

    /** The reader thread's loop: runs until end of output, then waits for the exit code. */
    private void pump(InputStream output, OutputSink sink) {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        RuntimeException sinkFailure = null;
        try {
            while (true) {
                int n;
                try {
                    n = output.read(buffer);
                } catch (IOException e) {
                    // Linux answers EIO once the process side of the PTY is closed: that is the end of the stream.
                    break;
                }
                if (n < 0) {
                    break;
                }
                if (n > 0 && sinkFailure == null) {
                    try {
                        sink.onOutput(buffer, n);
                    } catch (RuntimeException e) {
                        // Keep draining so the process is not stopped by a full PTY; exit() reports the failure.
                        sinkFailure = e;
                    }
                }
            }
            int code = waitForExit();
            releasePty();
            if (sinkFailure != null) {
                exit.completeExceptionally(sinkFailure);
            } else {
                exit.complete(code);
            }
        } catch (Throwable t) {
            exit.completeExceptionally(t);
            throw t;
        }
    }

    /** End of output usually means exit, but a process can close its terminal and keep running. */
    private int waitForExit() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    // The reader thread belongs to this session: only the exit ends it.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void releasePty() {
        for (Closeable stream : List.<Closeable>of(process.getInputStream(), input, process.getErrorStream())) {
            try {
                stream.close();
            } catch (IOException e) {
                // Closing a PTY already closed by the other stream: nothing left to free.
            }
        }
    }

    /**
     * The executable as pty4j should get it. pty4j searches a bare name on the environment's PATH itself
     * and fails with "Unknown reason", so we look first to say what is missing; a relative path it would take
     * relative to this JVM's directory, so it is made absolute against the working directory. Windows resolves
     * bare names in more places than PATH: there only explicit paths are checked.
     */
    private static String executable(ProcessSpec spec) throws IOException {
        String command = spec.command().getFirst();
        boolean isPath = command.contains("/") || (Os.WINDOWS && command.contains("\\"));
        if (isPath) {
            Path path = spec.workingDir().resolve(command).toAbsolutePath();
            if (!Files.isRegularFile(path) || (!Os.WINDOWS && !Files.isExecutable(path))) {
                throw cannotStart(spec, "no executable file " + path);
            }
            return path.toString();
        }
        if (Os.WINDOWS) {
            return command;
        }
        String searchPath = spec.environment().get("PATH");
        if (searchPath == null) {
            throw cannotStart(spec, "the environment has no PATH to find '" + command + "' on");
        }
        if (new CliDetector(searchPath, false).find(command).isEmpty()) {
            throw cannotStart(spec, "'" + command + "' is not an executable on PATH " + searchPath);
        }
        // Left bare, so the process sees argv[0] as it was given; pty4j finds it on the same PATH.
        return command;
    }

    private static IOException cannotStart(ProcessSpec spec, String reason) {
        return new IOException(message(spec, reason));
    }

    private static String message(ProcessSpec spec, String reason) {
        return "cannot start " + spec.command() + " in " + spec.workingDir() + ": " + reason;
    }
}
