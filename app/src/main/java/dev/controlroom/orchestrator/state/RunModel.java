package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's in-memory picture of one run it owns. Touched only on the loop thread; its state
 * changes only through {@link Transitions}, each following a change stored in the same decision.
 */
public final class RunModel {
    /** Higher priority first, then the task that has waited longest, then plan order. */
    static final Comparator<TaskNode> READY_ORDER = Comparator.<TaskNode>comparingInt(t -> -t.task().spec().priority())
            .thenComparing(t -> t.readyAt)
            .thenComparingInt(TaskNode::position)
            .thenComparingLong(TaskNode::id);

    private final String id;
    private final WaveMode waveMode;
    private final int concurrency;
    private final Path baseDir;
    private final Map<Long, TaskNode> tasks = new LinkedHashMap<>();
    private final Map<String, TaskNode> byKey = new LinkedHashMap<>();
    final TreeSet<TaskNode> ready = new TreeSet<>(READY_ORDER);
    final int[] waveSize;
    final int[] waveDone;
    final boolean[] waveStarted;
    final boolean[] waveAnnounced;
    private final CompletableFuture<RunSummary> finished = new CompletableFuture<>();
    RunState state;
    /** Why the run is paused (or stopped), as stored with its state. */
    Optional<String> pauseReason = Optional.empty();
    int running;
    private WatchRules watch = WatchRules.NONE;

    public RunModel(String id, WaveMode waveMode, int concurrency, Path baseDir, RunState state, int waves) {
        this.id = id;
        this.waveMode = waveMode;
        this.concurrency = concurrency;
        this.baseDir = baseDir;
        this.state = state;
        this.waveSize = new int[waves];
        this.waveDone = new int[waves];
        this.waveStarted = new boolean[waves];
        this.waveAnnounced = new boolean[waves];
    }

    /** The watchdog's settings for this run's sessions. */
    public WatchRules watch() {
        return watch;
    }

    public void watch(WatchRules rules) {
        watch = java.util.Objects.requireNonNull(rules);
    }

    public String id() {
        return id;
    }

    public WaveMode waveMode() {
        return waveMode;
    }

    public Path baseDir() {
        return baseDir;
    }

    public RunState state() {
        return state;
    }

    public Optional<String> pauseReason() {
        return pauseReason;
    }

    public CompletableFuture<RunSummary> finished() {
        return finished;
    }

    public Collection<TaskNode> tasks() {
        return tasks.values();
    }

    public Optional<TaskNode> task(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Ready tasks, best first (a copy: starting one changes the set). */
    public List<TaskNode> readyTasks() {
        return List.copyOf(ready);
    }

    public boolean hasReadyTasks() {
        return !ready.isEmpty();
    }

    /** Whether another session may start within the run's concurrency. */
    public boolean hasRoom() {
        return running < concurrency;
    }

    public int waves() {
        return waveSize.length;
    }

    public boolean hasLiveSessions() {
        return tasks.values().stream().anyMatch(t -> t.live.isPresent());
    }

    /** Adds a task read from the plan (or the stored run) with the state it has. */
    public TaskNode add(StoredTask task, int wave, TaskState state, int attempts) {
        TaskNode node = new TaskNode(task, wave, tasks.size(), state, attempts);
        tasks.put(task.id(), node);
        byKey.put(task.key(), node);
        waveSize[wave]++;
        if (state.isTerminal()) {
            waveDone[wave]++;
        }
        return node;
    }

    /** Adds a task of a stored run, with what the database remembers of its scheduling. */
    public TaskNode restore(StoredTask task, int wave, TaskState state, int attempts, Instant readyAt, Optional<Instant> nextAttemptAt,
                            Optional<Long> agentOverride, int sessions) {
        TaskNode node = add(task, wave, state, attempts);
        node.restore(readyAt, nextAttemptAt, agentOverride, sessions);
        if (state == TaskState.READY) {
            ready.add(node);
        }
        return node;
    }

    /** Links each task to its dependencies and dependents, once every task is added; marks waves already begun. */
    public void link(Instant now) {
        for (TaskNode node : tasks.values()) {
            for (String dep : node.task().spec().dependsOn()) {
                TaskNode d = byKey.get(dep);
                node.deps.add(d);
                d.dependents.add(node);
            }
            if (node.attempts > 0) {
                waveStarted[node.wave()] = true;
            }
            if (node.state == TaskState.READY && !ready.contains(node)) {
                node.readyAt = now;
                ready.add(node);
            }
        }
    }

    /** Whether a pending task may become ready: its dependencies let it, and in barrier mode so do earlier waves. */
    public boolean mayStart(TaskNode node) {
        for (TaskNode d : node.deps) {
            if (!d.state.satisfiesDependents()) {
                return false;
            }
        }
        if (waveMode == WaveMode.BARRIER) {
            for (int w = 0; w < node.wave(); w++) {
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
    public boolean allTerminal() {
        for (int w = 0; w < waveSize.length; w++) {
            if (waveDone[w] < waveSize[w]) {
                return false;
            }
        }
        return true;
    }

    public boolean allSatisfied() {
        return tasks.values().stream().allMatch(t -> t.state.satisfiesDependents());
    }

    public boolean anyTaskIn(TaskState s) {
        return tasks.values().stream().anyMatch(t -> t.state == s);
    }
}
