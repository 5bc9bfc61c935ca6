package dev.controlroom.bench;

import dev.controlroom.orchestrator.port.AgentRuntime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A runtime that hands every call to another; benchmarks override what they measure. */
class ForwardingRuntime implements AgentRuntime {
    private final AgentRuntime inner;

    ForwardingRuntime(AgentRuntime inner) {
        this.inner = inner;
    }

    @Override
    public Process start(Launch launch) throws IOException {
        return inner.start(launch);
    }

    @Override
    public dev.controlroom.orchestrator.port.LiveOutput liveOutput() {
        return inner.liveOutput();
    }

    @Override
    public boolean canResume(Work work) {
        return inner.canResume(work);
    }

    @Override
    public boolean endOrphan(long pid, Optional<Instant> startTime, Duration grace) {
        return inner.endOrphan(pid, startTime, grace);
    }

    @Override
    public int endLeftovers(String runId, Duration grace) {
        return inner.endLeftovers(runId, grace);
    }

    @Override
    public Path worktreePath(Path repo, String runId, String taskKey) {
        return inner.worktreePath(repo, runId, taskKey);
    }

    @Override
    public String prepareWorktree(Path repo, Optional<String> base, String branch, Path worktree, List<String> copyFiles) throws IOException {
        return inner.prepareWorktree(repo, base, branch, worktree, copyFiles);
    }

    @Override
    public Optional<String> changeFingerprint(Path worktree, String base) {
        return inner.changeFingerprint(worktree, base);
    }

    @Override
    public CompletableFuture<List<Check>> verify(List<String> commands, Path dir, Map<String, String> environment, Duration timeout) {
        return inner.verify(commands, dir, environment, timeout);
    }

    /** A process whose exit future is replaced, everything else forwarded. */
    static final class TimedProcess implements Process {
        private final Process inner;
        private final CompletableFuture<Integer> exit;

        TimedProcess(Process inner, CompletableFuture<Integer> exit) {
            this.inner = inner;
            this.exit = exit;
        }

        @Override
        public long pid() {
            return inner.pid();
        }

        @Override
        public Optional<Instant> startTime() {
            return inner.startTime();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public Instant lastOutput() {
            return inner.lastOutput();
        }

        @Override
        public java.util.Optional<String> workSign() {
            return inner.workSign();
        }

        @Override
        public java.util.Optional<java.nio.file.Path> fileChangedSince(java.time.Instant since) {
            return inner.fileChangedSince(since);
        }

        @Override
        public void type(String text) throws IOException {
            inner.type(text);
        }

        @Override
        public void kill(Duration grace) {
            inner.kill(grace);
        }
    }
}
