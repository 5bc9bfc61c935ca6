package dev.controlroom.orchestrator;

import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's in-memory picture of one run it owns. Touched only on the orchestrator thread;
 * every change to it follows a committed database change.
 */
final class RunModel {
    final String id;
    final long planId;
    final String planName;
    final WaveMode waveMode;
    final int concurrency;
    final Path baseDir;
    final Map<Long, TaskNode> tasks = new LinkedHashMap<>();
    final Map<String, TaskNode> byKey = new LinkedHashMap<>();
    final TreeSet<TaskNode> ready = new TreeSet<>(READY_ORDER);
    final int[] waveSize;
    final int[] waveDone;
    final boolean[] waveStarted;
    private final boolean[] waveAnnounced;
    final CompletableFuture<RunSummary> finished = new CompletableFuture<>();
    RunState state;
    /** Why the run is paused (or stopped), as stored with its state. */
    Optional<String> pauseReason = Optional.empty();
    int running;

    /** Higher priority first, then the task that has waited longest, then plan order. */
    static final Comparator<TaskNode> READY_ORDER = Comparator.<TaskNode>comparingInt(t -> -t.task.spec().priority())
            .thenComparing(t -> t.readyAt)
            .thenComparingInt(t -> t.position)
            .thenComparingLong(t -> t.task.id());

    RunModel(String id, long planId, String planName, WaveMode waveMode, int concurrency, Path baseDir, RunState state,
             int waves) {
        this.id = id;
        this.planId = planId;
        this.planName = planName;
        this.waveMode = waveMode;
        this.concurrency = concurrency;
        this.baseDir = baseDir;
        this.state = state;
        this.waveSize = new int[waves];
        this.waveDone = new int[waves];
        this.waveStarted = new boolean[waves];
        this.waveAnnounced = new boolean[waves];
    }

    /** Whether wave_finished was announced for the wave (reset when a retry reopens it). */
    boolean waveAnnounced(int wave) {
        return waveAnnounced[wave];
    }

    void markWaveAnnounced(int wave) {
        waveAnnounced[wave] = true;
    }

    void unmarkWaveAnnounced(int wave) {
        waveAnnounced[wave] = false;
    }

    void add(TaskNode node) {
        tasks.put(node.task.id(), node);
        byKey.put(node.task.key(), node);
        waveSize[node.wave]++;
        if (node.state.isTerminal()) {
            waveDone[node.wave]++;
        }
    }

    /** Links each task to its dependencies and dependents, once every task is added. */
    void link() {
        for (TaskNode node : tasks.values()) {
            for (String dep : node.task.spec().dependsOn()) {
                TaskNode d = byKey.get(dep);
                node.deps.add(d);
                d.dependents.add(node);
            }
        }
    }

    /** Whether a pending task may become ready: its dependencies let it, and in barrier mode so do earlier waves. */
    boolean mayStart(TaskNode node) {
        for (TaskNode d : node.deps) {
            if (!d.state.satisfiesDependents()) {
                return false;
            }
        }
        if (waveMode == WaveMode.BARRIER) {
            for (int w = 0; w < node.wave; w++) {
                if (waveDone[w] < waveSize[w]) {
                    return false;
                }
            }
        }
        return true;
    }

    boolean hasFailedDependency(TaskNode node) {
        return node.deps.stream().anyMatch(d -> d.state == TaskState.FAILED || d.state == TaskState.BLOCKED
                || d.state == TaskState.CANCELLED);
    }

    /** Every wave keeps a count of its finished tasks, so this is cheap enough for every decision. */
    boolean allTerminal() {
        for (int w = 0; w < waveSize.length; w++) {
            if (waveDone[w] < waveSize[w]) {
                return false;
            }
        }
        return true;
    }

    boolean allSatisfied() {
        return tasks.values().stream().allMatch(t -> t.state.satisfiesDependents());
    }

    /** One task of the run. */
    static final class TaskNode {
        final StoredTask task;
        final int wave;
        final int position;
        final List<TaskNode> deps = new ArrayList<>();
        final List<TaskNode> dependents = new ArrayList<>();
        TaskState state;
        int attempts;
        /** Sessions this task has had in the run, across retries by people: numbers its session ids. */
        int sessions;
        Instant readyAt = Instant.EPOCH;
        Optional<Instant> nextAttemptAt = Optional.empty();
        Optional<Long> agentOverride = Optional.empty();
        Optional<Live> live = Optional.empty();
        /** The agent's own session id, kept across iterations, parking and retries so work continues where it was. */
        Optional<String> resumeId = Optional.empty();
        /** Token totals an agent reports per thread of its own (Codex reports a resumed thread's totals). */
        final java.util.Map<String, long[]> threadTotals = new java.util.HashMap<>();
        /** An agent that got stuck on this task: the next attempt goes to another one when there is one. */
        Optional<Long> avoidAgent = Optional.empty();

        TaskNode(StoredTask task, int wave, int position, TaskState state, int attempts) {
            this.task = task;
            this.wave = wave;
            this.position = position;
            this.state = state;
            this.attempts = attempts;
        }

        String key() {
            return task.key();
        }
    }

    /** The session working a task right now. */
    static final class Live {
        final String sessionId;
        final long agentId;
        final String profile;
        final Instant startedAt;
        Optional<Instant> deadline;
        final String workingDir;
        AgentRuntime.Process process;
        /** Why the engine killed it, if it did: decides what the exit means. */
        Optional<KillReason> killed = Optional.empty();
        /** Why the watchdog ended it, in words, when it did. */
        Optional<String> stuckReason = Optional.empty();
        boolean verifying;
        /** The last time the watchdog saw a child process of the agent working. */
        Instant lastBusyAt = Instant.EPOCH;
        /** What the session's processes do; an AI session runs one process per iteration. */
        AgentRuntime.Work work;
        int iteration = 1;
        Optional<String> nativeId = Optional.empty();
        /** A question the agent asked; the session waits for a person's answer. */
        Optional<String> question = Optional.empty();
        boolean awaitingAnswer;
        Optional<java.time.Instant> rateLimitedUntil = Optional.empty();
        boolean rateLimited;
        boolean turnError;
        Optional<String> result = Optional.empty();
        final java.util.Map<String, Integer> errorCounts = new java.util.HashMap<>();
        final java.util.Map<String, java.time.Instant> errorCountedAt = new java.util.HashMap<>();
        Optional<String> lastFailureFingerprint = Optional.empty();
        Optional<String> lastChangeFingerprint = Optional.empty();
        /** The task's own worktree and the commit it started from, when it has one. */
        Optional<java.nio.file.Path> worktree = Optional.empty();
        Optional<String> baseRef = Optional.empty();

        Live(String sessionId, long agentId, String profile, Instant startedAt, Optional<Instant> deadline, String workingDir) {
            this.sessionId = sessionId;
            this.agentId = agentId;
            this.profile = profile;
            this.startedAt = startedAt;
            this.deadline = deadline;
            this.workingDir = workingDir;
        }
    }

    /** Why a session was ended by the engine rather than by itself. */
    enum KillReason {
        TIMEOUT, CANCELLED, STOPPED, REASSIGNED, SKIPPED, STUCK, TERMINATED
    }
}
