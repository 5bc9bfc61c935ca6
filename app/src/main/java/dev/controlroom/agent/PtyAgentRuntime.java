package dev.controlroom.agent;

import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.LiveOutput;
import dev.controlroom.store.OutputStore;

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

/**
 * Runs sessions as real processes in pseudo-terminals, keeping every byte they print, and runs
 * verification commands as plain processes.
 */
public final class PtyAgentRuntime implements AgentRuntime {
    static final int COLUMNS = 120;
    static final int ROWS = 40;
    static final int QA_OUTPUT_LIMIT = 16 * 1024;
    static final long CLOSE_DELAY_MS = 250;
    /** The environment variable that marks every process a session's process starts, with a value of its own. */
    public static final String PROCESS_MARK = "CONTROL_ROOM_PROCESS";
    private static final Duration SWEEP_GRACE = Duration.ofSeconds(2);

    private final OutputPersister persister;
    private final Clock clock;
    private final ThreadFactory readers;
    private final Executor verifyExecutor;
    private final Executor closer;
    private final SessionObserver.Factory observers;
    private final Worktrees worktrees;
    private final java.util.function.Function<String, OutputStore.Position> outputEnd;
    private final LiveFeed live = new LiveFeed();

    /**
     * @param closer    where finished sessions are closed (a few milliseconds each, off the exit path)
     * @param observers make the per-session watchers of output lines (extraction, live views)
     */
    /** Task definitions hold references to their secrets; a process gets the values, at the moment it starts. */
    private final java.util.function.UnaryOperator<String> unseal;
    /** Control Room's MCP server for an agent that opted in to it, while the local API serves it; empty otherwise. */
    private final java.util.function.Function<dev.controlroom.domain.Agent, Optional<McpEndpoint>> mcp;

    public PtyAgentRuntime(OutputPersister persister, Clock clock, ThreadFactory readers, Executor verifyExecutor,
                           Executor closer, SessionObserver.Factory observers, Worktrees worktrees,
                           java.util.function.Function<String, OutputStore.Position> outputEnd, java.util.function.UnaryOperator<String> unseal,
                           java.util.function.Function<dev.controlroom.domain.Agent, Optional<McpEndpoint>> mcp) {
        this.unseal = unseal;
        this.mcp = mcp;
        this.persister = persister;
        this.clock = clock;
        this.readers = readers;
        this.verifyExecutor = verifyExecutor;
        this.closer = closer;
        this.observers = observers;
        this.worktrees = worktrees;
        this.outputEnd = outputEnd;
    }

    @Override
    public Process start(Launch launch) throws IOException {
        List<String> argv;
        Map<String, String> env = new java.util.HashMap<>(launch.environment());
        env.replaceAll((name, value) -> unseal.apply(value));
        // Every process this one starts inherits the mark, however it detaches (nohup, setsid, a double fork): the sweep finds them by it.
        String mark = java.util.UUID.randomUUID().toString();
        env.put(PROCESS_MARK, mark);
        // The inherited PWD names the folder Control Room was started from; OpenCode works in $PWD over its real one.
        env.put("PWD", launch.workingDir().toAbsolutePath().toString());
        List<String> setup = launch.setup().stream().map(unseal).toList();
        List<java.nio.file.Path> promptFiles = new java.util.ArrayList<>();
        SessionObserver.Started started;
        java.util.Set<String> agentNames = java.util.Set.of();
        switch (launch.work()) {
            case Work.Command c -> {
                String line = unseal.apply(c.line());
                argv = ProcessSpec.shellCommand(setup.isEmpty() ? line : String.join(" && ", setup) + " && " + line);
                started = SessionObserver.Started.shell();
            }
            case Work.Prompt p -> {
                Optional<McpEndpoint> server = AgentCommands.takesMcpServer(p.agent().profile()) ? mcp.apply(p.agent()) : Optional.empty();
                AgentCommands.Invocation inv = AgentCommands.headless(p.agent(), unseal.apply(p.prompt()), p.resume(), launch.workingDir(), text -> {
                    java.nio.file.Path file = PromptFile.write(text);
                    promptFiles.add(file);
                    return file;
                }, server.map(McpEndpoint::url));
                // The token only here, in the process's environment: the CLI's configuration names the variable.
                server.ifPresent(s -> env.put(AgentCommands.MCP_TOKEN_VARIABLE, s.token()));
                argv = AgentCommands.withSetup(setup, inv.argv());
                env.putAll(inv.environment());
                started = started(p.agent(), inv.structured(), env, launch.workingDir());
                agentNames = WorkSigns.namesFor(inv.argv().getFirst(), p.agent().profile().executable());
            }
        }
        SessionObserver observer = observers.create(launch.sessionId(), launch.context(), started, launch.listener());
        // A later iteration's process continues the session's output where the last one stopped.
        OutputStore.Position from = launch.context().iteration() > 1 ? outputEnd.apply(launch.sessionId()) : OutputStore.Position.START;
        String sessionId = launch.sessionId();
        live.started(sessionId);
        OutputRecorder recorder = new OutputRecorder(sessionId, clock, observer::onLine,
                (offset, bytes) -> live.publish(sessionId, offset, bytes), from.nextSeq(), from.nextOffset(), from.nextLine());
        recorder.onOpenLine(observer::onOpenLine);
        persister.register(recorder);
        PtySession session;
        try {
            session = PtySession.start(new ProcessSpec(argv, launch.workingDir(), env, COLUMNS, ROWS), recorder, readers);
        } catch (IOException | RuntimeException e) {
            persister.finish(recorder);
            observer.onEnd();
            live.ended(sessionId);
            promptFiles.forEach(PromptFile::delete);
            throw e;
        }
        // The exit counts once the output is stored and read: whoever reacts to it can see all of it.
        CompletableFuture<Integer> exit = session.exit().thenApply(code -> {
            promptFiles.forEach(PromptFile::delete);
            persister.finish(recorder);
            observer.onEnd();
            live.ended(sessionId);
            return code;
        });
        // Closing frees the terminal and ends background jobs the task left in its session. It scans
        // the process table (a few milliseconds of CPU), so it runs a moment later, away from the
        // exit -> next start path that dispatch latency is made of.
        exit.whenCompleteAsync((code, error) -> {
                    session.close();
                    ProcessTree.killCarrying(PROCESS_MARK, mark::equals, SWEEP_GRACE, session.pid());
                },
                CompletableFuture.delayedExecutor(CLOSE_DELAY_MS, TimeUnit.MILLISECONDS, closer));
        return new PtyProcess(session, exit, recorder, mark, new WorkSigns(agentNames), launch.workingDir());
    }

    /**
     * The model and executable of an agent's CLI as it starts: the agent's own model, else (Codex,
     * whose stream never names it) the one its config selects; the executable as the process would find it.
     */
    private static SessionObserver.Started started(dev.controlroom.domain.Agent agent, boolean structured, Map<String, String> env,
                                                   Path workingDir) {
        Map<String, String> seen = new java.util.HashMap<>(System.getenv());
        seen.putAll(env);
        Optional<String> model = agent.model().filter(m -> !m.isBlank())
                .or(() -> agent.profile() == dev.controlroom.domain.AgentProfile.CODEX ? CodexConfig.model(seen) : Optional.empty());
        Optional<Path> executable = AgentCommands.executable(agent).flatMap(name -> name.contains("/") || name.contains("\\")
                ? Optional.of(workingDir.resolve(name)) : new CliDetector(seen.get("PATH"), Os.WINDOWS).find(name));
        return new SessionObserver.Started(agent.profile().id(), structured, model, executable);
    }

    @Override
    public LiveOutput liveOutput() {
        return live;
    }

    /** A session's process as the engine sees it. */
    private static final class PtyProcess implements Process {
        private final PtySession session;
        private final CompletableFuture<Integer> exit;
        private final OutputRecorder recorder;
        private final String mark;
        private final WorkSigns signs;
        private final Path workingDir;

        PtyProcess(PtySession session, CompletableFuture<Integer> exit, OutputRecorder recorder, String mark, WorkSigns signs, Path workingDir) {
            this.mark = mark;
            this.signs = signs;
            this.workingDir = workingDir;
            this.session = session;
            this.exit = exit;
            this.recorder = recorder;
        }

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
        public Instant lastOutput() {
            return Instant.ofEpochMilli(recorder.lastOutputMillis());
        }

        @Override
        public Optional<String> workSign() {
            return signs.processSign(session.pid());
        }

        @Override
        public Optional<Path> fileChangedSince(Instant since) {
            return WorkSigns.fileChangedSince(workingDir, since);
        }

        @Override
        public void type(String text) throws IOException {
            session.write(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void kill(Duration grace) {
            session.killTree(grace);
            ProcessTree.killCarrying(PROCESS_MARK, mark::equals, grace, session.pid());
        }
    }

    @Override
    public boolean canResume(Work work) {
        return work instanceof Work.Prompt p && AgentCommands.canResume(p.agent().profile());
    }

    @Override
    public boolean endOrphan(long pid, Optional<Instant> startTime, Duration grace) {
        if (startTime.isEmpty() || !ProcessTree.isSameProcessAlive(pid, startTime.get())) {
            return false;
        }
        return ProcessTree.killTree(pid, grace) > 0;
    }

    @Override
    public int endLeftovers(String runId, Duration grace) {
        return ProcessTree.killCarrying("CONTROL_ROOM_RUN_ID", runId::equals, grace);
    }

    @Override
    public Path worktreePath(Path repo, String runId, String taskKey) {
        return worktrees.pathFor(repo, runId, taskKey);
    }

    @Override
    public String prepareWorktree(Path repo, Optional<String> base, String branch, Path worktree, List<String> copyFiles)
            throws IOException {
        worktrees.prepare(repo, base, branch, worktree, copyFiles);
        return Worktrees.baseCommit(worktree, base);
    }

    @Override
    public Optional<String> changeFingerprint(Path worktree, String base) {
        try {
            return Optional.of(Worktrees.changeFingerprint(worktree, base));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public CompletableFuture<List<Check>> verify(List<String> commands, Path dir, Map<String, String> environment, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            List<Check> checks = new ArrayList<>();
            for (String command : commands) {
                Check check = runCheck(command, unseal.apply(command), dir, environment, timeout);
                checks.add(check);
                if (!check.passed()) {
                    break;
                }
            }
            return checks;
        }, verifyExecutor);
    }

    /** Runs {@code line} (the command with its secrets); the check names {@code command} and keeps its output redacted. */
    private static Check runCheck(String command, String line, Path dir, Map<String, String> environment, Duration timeout) {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(ProcessSpec.shellCommand(line)).directory(dir.toFile()).redirectErrorStream(true);
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
            String output = dev.controlroom.domain.Redactor.redactText(tail.text());
            if (!done) {
                return new Check(command, Optional.empty(), false, output + "\n[timed out after " + timeout.toSeconds() + " s]", ms);
            }
            int code = p.exitValue();
            return new Check(command, Optional.of(code), code == 0, output, ms);
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
