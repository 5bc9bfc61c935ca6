package dev.controlroom.orchestrator;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentScoring;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.RunModel.KillReason;
import dev.controlroom.orchestrator.RunModel.Live;
import dev.controlroom.orchestrator.RunModel.TaskNode;
import dev.controlroom.store.RunStore;
import dev.controlroom.store.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine and the run controls of every door (UI, CLI, tray, API). All decisions happen on
 * one thread, the loop, so there is no lock and no race between deciders; each decision is
 * stored in one transaction with its events before anyone hears of it.
 *
 * <p>Event-driven: a session's exit is handled the moment it happens, and the tasks it unblocks
 * start in the same step. The periodic tick only looks after heartbeats, timeouts and retries
 * that are due.
 */
public final class Orchestrator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Orchestrator.class.getName());
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    /** The same error seen again within this gap is the same occurrence, not a repetition. */
    static final Duration ERROR_REPEAT_GAP = Duration.ofSeconds(5);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** An owner that has not beaten for this long is taken for dead. */
    static final Duration OWNER_SILENCE = Duration.ofSeconds(30);

    private final Store store;
    private final Clock clock;
    private final AgentRuntime runtime;
    private final EngineConfig config;
    private final ScheduledExecutorService loop;
    private final Executor blocking;
    private final long pid = ProcessHandle.current().pid();
    private final Map<String, RunModel> runs = new LinkedHashMap<>();
    private final Map<Long, AgentSlot> agents = new LinkedHashMap<>();
    private final Map<String, Integer> runningPerProfile = new HashMap<>();
    private final List<Consumer<List<Event>>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> ticker;
    private boolean rosterDirty = true;
    private Instant lastHeartbeat = Instant.EPOCH;
    /** A failed run taken up again for a retry: not completed before the retry reopens it. */
    private Optional<String> reopening = Optional.empty();

    /** An agent as the engine tracks it: the roster entry and what it is doing. */
    private static final class AgentSlot {
        Agent agent;
        int running;
        Optional<String> lastDir = Optional.empty();
        Optional<String> lastBranch = Optional.empty();
        Optional<Instant> lastActive;

        AgentSlot(Agent agent) {
            this.agent = agent;
            this.lastActive = agent.lastActiveAt();
        }
    }

    /**
     * @param loop     the single thread every decision runs on
     * @param blocking where slow calls that must not hold the loop go (killing process trees)
     */
    public Orchestrator(Store store, Clock clock, AgentRuntime runtime, EngineConfig config, ScheduledExecutorService loop,
                        Executor blocking) {
        this.store = store;
        this.clock = clock;
        this.runtime = runtime;
        this.config = config;
        this.loop = loop;
        this.blocking = blocking;
        long tickMillis = config.tick().toMillis();
        this.ticker = loop.scheduleWithFixedDelay(this::tickSafely, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Hears every stored event, in order, on the loop thread: keep it quick. */
    public void addListener(Consumer<List<Event>> listener) {
        listeners.add(listener);
    }

    // ---------------------------------------------------------------------------------- controls

    /**
     * Stores an event that happened beside the engine (a person merged or discarded a task's work)
     * and tells the listeners, in order with the engine's own events.
     */
    public CompletableFuture<Void> record(Event event) {
        // Not a decision: a failed write fails this call only and holds no run.
        return run(() -> announce(List.of(store.events().append(event))));
    }


    /** Starts a run of a task list; the id it returns is the run's one id everywhere after. */
    public CompletableFuture<String> start(long planId, RunOptions options) {
        return call(() -> startRun(planId, options));
    }

    /** Completes when the run has finished (succeeded, failed or cancelled). */
    public CompletableFuture<RunSummary> finished(String runId) {
        return call(() -> {
            RunModel run = runs.get(runId);
            if (run != null) {
                return run.finished;
            }
            RunSummary stored = store.runs().find(runId).orElseThrow(() -> new ControlException("no run with id " + runId));
            if (!stored.state().isFinished()) {
                throw new ControlException("run " + runId + " is " + stored.state().id() + " and not run by this process; resume it first");
            }
            return CompletableFuture.completedFuture(stored);
        }).thenCompose(f -> f);
    }

    public CompletableFuture<Void> pause(String runId) {
        return run(() -> {
            RunModel run = model(runId);
            Changes c = new Changes();
            moveRun(c, run, RunState.PAUSED, Optional.of("paused by a person"), EventType.RUN_PAUSED, Severity.INFO, "run paused: running sessions finish, no new ones start");
            commit(c);
        });
    }

    public CompletableFuture<Void> resume(String runId) {
        return run(() -> {
            RunModel run = runs.get(runId);
            if (run == null) {
                adopt(runId);
                return;
            }
            if (run.state == RunState.RUNNING) {
                return;
            }
            if (run.tasks.values().stream().anyMatch(t -> t.state == TaskState.NEEDS_DECISION)) {
                throw new ControlException("run " + runId + " waits for a decision on a failed critical task: retry, skip or cancel it");
            }
            Changes c = new Changes();
            moveRun(c, run, RunState.RUNNING, Optional.empty(), EventType.RUN_RESUMED, Severity.INFO, "run resumed");
            finishIfDone(c, run);
            commit(c);
            schedule();
        });
    }

    /** Ends the running sessions now and holds the run; {@link #resume} continues it. */
    public CompletableFuture<Void> stop(String runId) {
        return run(() -> {
            RunModel run = model(runId);
            Changes c = new Changes();
            if (run.state == RunState.RUNNING) {
                moveRun(c, run, RunState.PAUSED, Optional.of("stopped by a person"), EventType.RUN_STOPPED, Severity.WARNING,
                        "run stopped: running sessions are ended and their tasks queued again");
            } else if (run.state != RunState.PAUSED) {
                throw new ControlException("run " + runId + " is " + run.state.id() + ", there is nothing to stop");
            }
            commit(c);
            run.tasks.values().stream().filter(t -> t.live.isPresent()).forEach(t -> kill(t.live.get(), KillReason.STOPPED));
        });
    }

    /** Ends the run for good: sessions ended, unfinished tasks cancelled. */
    public CompletableFuture<Void> cancel(String runId) {
        return run(() -> {
            RunModel run = model(runId);
            Changes c = new Changes();
            for (TaskNode t : run.tasks.values()) {
                if (t.live.isPresent()) {
                    kill(t.live.get(), KillReason.CANCELLED);
                } else if (!t.state.isTerminal() && t.state.canMoveTo(TaskState.CANCELLED)) {
                    move(c, run, t, TaskState.CANCELLED, Optional.of("the run was cancelled"), null, null, null);
                }
            }
            if (run.tasks.values().stream().noneMatch(t -> t.live.isPresent())) {
                moveRun(c, run, RunState.CANCELLED, Optional.of("cancelled by a person"), EventType.RUN_CANCELLED, Severity.WARNING, "run cancelled");
            } else {
                moveRun(c, run, RunState.STOPPING, Optional.of("cancelling"), EventType.RUN_CANCELLING, Severity.WARNING,
                        "run cancelling: ending its sessions");
            }
            commit(c);
            completeIfFinished(run);
        });
    }

    /**
     * Gives a failed, blocked-by-decision or cancelled task a fresh attempt budget and queues it; a
     * failed run is reopened for it.
     */
    public CompletableFuture<Void> retryTask(String runId, String taskKey) {
        return run(() -> {
            if (!runs.containsKey(runId) && store.runs().find(runId).map(s -> s.state() == RunState.FAILED).orElse(false)) {
                // A failed run is no longer held: take it up again, and keep it while the retry reopens it.
                reopening = Optional.of(runId);
                try {
                    adopt(runId);
                } finally {
                    reopening = Optional.empty();
                }
            }
            RunModel run = model(runId);
            TaskNode t = task(run, taskKey);
            if (!(t.state == TaskState.FAILED || t.state == TaskState.NEEDS_DECISION || t.state == TaskState.CANCELLED)) {
                throw new ControlException("task " + taskKey + " is " + t.state.id() + "; only a failed or cancelled task can be retried");
            }
            Changes c = new Changes();
            t.attempts = 0;
            c.op(tx -> tx.resetAttempts(run.id, t.task.id()));
            move(c, run, t, TaskState.READY, Optional.of("retried by a person"), EventType.TASK_RETRIED, Severity.INFO, "task " + taskKey + " retried");
            unblockDependents(c, run, t);
            reopenRun(c, run);
            commit(c);
            schedule();
        });
    }

    /** Marks a task done without running it; its dependents proceed. */
    public CompletableFuture<Void> skipTask(String runId, String taskKey) {
        return run(() -> {
            RunModel run = model(runId);
            TaskNode t = task(run, taskKey);
            if (t.live.isPresent()) {
                kill(t.live.get(), KillReason.SKIPPED);
                return;
            }
            if (!t.state.canMoveTo(TaskState.SKIPPED)) {
                throw new ControlException("task " + taskKey + " is " + t.state.id() + " and cannot be skipped");
            }
            Changes c = new Changes();
            move(c, run, t, TaskState.SKIPPED, Optional.of("skipped by a person"), EventType.TASK_SKIPPED, Severity.INFO, "task " + taskKey + " skipped");
            unblockDependents(c, run, t);
            promoteDependents(c, run, t);
            reopenRun(c, run);
            finishIfDone(c, run);
            commit(c);
            schedule();
        });
    }

    public CompletableFuture<Void> cancelTask(String runId, String taskKey) {
        return run(() -> {
            RunModel run = model(runId);
            TaskNode t = task(run, taskKey);
            if (t.live.isPresent()) {
                kill(t.live.get(), KillReason.CANCELLED);
                return;
            }
            if (!t.state.canMoveTo(TaskState.CANCELLED) || t.state == TaskState.CANCELLED) {
                throw new ControlException("task " + taskKey + " is " + t.state.id() + " and cannot be cancelled");
            }
            Changes c = new Changes();
            move(c, run, t, TaskState.CANCELLED, Optional.of("cancelled by a person"), EventType.TASK_CANCELLED, Severity.WARNING,
                    "task " + taskKey + " cancelled");
            blockDependents(c, run, t);
            finishIfDone(c, run);
            commit(c);
            schedule();
        });
    }

    /** Points a task at another agent; a running session of it is ended and the task queued again. */
    public CompletableFuture<Void> reassignTask(String runId, String taskKey, String agentName) {
        return run(() -> {
            RunModel run = model(runId);
            TaskNode t = task(run, taskKey);
            refreshRoster();
            AgentSlot slot = agents.values().stream().filter(a -> a.agent.active() && a.agent.name().equals(agentName)).findFirst()
                    .orElseThrow(() -> new ControlException("no active agent named '" + agentName + "'"));
            if (t.state.isTerminal() && t.state != TaskState.FAILED) {
                throw new ControlException("task " + taskKey + " is " + t.state.id() + "; there is nothing to reassign");
            }
            t.agentOverride = Optional.of(slot.agent.id());
            Changes c = new Changes();
            c.op(tx -> tx.assign(run.id, t.task.id(), slot.agent.id()));
            c.event(Event.draft(EventType.TASK_REASSIGNED, Severity.INFO, "task " + taskKey + " reassigned to " + agentName)
                    .withRun(run.id).withTask(t.task.id()).withAgent(slot.agent.id()));
            commit(c);
            t.live.ifPresent(live -> kill(live, KillReason.REASSIGNED));
            schedule();
        });
    }

    /**
     * Ends one session's process (and everything it started) now. The attempt counts as failed, so
     * the task is retried while its attempt budget lasts, like any other failed attempt.
     */
    public CompletableFuture<Void> terminateSession(String sessionId) {
        return run(() -> {
            Live live = runs.values().stream().flatMap(r -> r.tasks.values().stream()).flatMap(t -> t.live.stream())
                    .filter(l -> l.sessionId.equals(sessionId)).findFirst()
                    .orElseThrow(() -> new ControlException("session " + sessionId + " is not running in this process"));
            if (live.process == null) {
                throw new ControlException("session " + sessionId + " has no process running now (it waits or is being verified)");
            }
            kill(live, KillReason.TERMINATED);
        });
    }

    /**
     * Runs a task's verification commands again in the directory of its newest session (its
     * worktree when it has one) and records the verdict with its evidence as a new iteration of
     * that session, as after an iteration. The task's state stays as it is: a person reads the
     * verdict and decides (retry, skip). Completes with whether every command passed.
     */
    public CompletableFuture<Boolean> verifyTask(String runId, String taskKey) {
        record Target(StoredTask task, SessionRecord session, int iteration) {
        }
        return call(() -> {
            RunSummary summary = store.runs().find(runId).orElseThrow(() -> new ControlException("no run with id " + runId));
            StoredTask task = store.plans().tasksOf(summary.planId()).stream().filter(t -> t.key().equals(taskKey)).findFirst()
                    .orElseThrow(() -> new ControlException("run " + runId + " has no task '" + taskKey + "'"));
            if (task.spec().verify().isEmpty()) {
                throw new ControlException("task " + taskKey + " has no verify commands");
            }
            RunModel run = runs.get(runId);
            if (run != null && run.byKey.get(taskKey) != null && run.byKey.get(taskKey).live.isPresent()) {
                throw new ControlException("task " + taskKey + " is running; its verification runs when its iteration ends");
            }
            SessionRecord session = store.runs().sessions(runId).stream().filter(x -> x.taskId() == task.id()).reduce((a, b) -> b)
                    .orElseThrow(() -> new ControlException("task " + taskKey + " has not run in run " + runId + "; there is nothing to verify"));
            int next = store.runs().iterations(session.id()).stream().mapToInt(IterationRecord::number).max().orElse(0) + 1;
            return new Target(task, session, next);
        }).thenCompose(target -> runtime.verify(target.task().spec().verify(), Path.of(target.session().workingDir()),
                        Map.of("CONTROL_ROOM_RUN_ID", runId, "CONTROL_ROOM_TASK_ID", taskKey, "CONTROL_ROOM_SESSION_ID", target.session().id()),
                        target.task().spec().timeout().orElse(Duration.ofMinutes(30)))
                .handle((checks, error) -> call(() -> {
                    List<AgentRuntime.Check> done = checks == null ? List.of() : checks;
                    Optional<AgentRuntime.Check> failed = done.stream().filter(k -> !k.passed()).findFirst();
                    boolean passed = error == null && failed.isEmpty();
                    String verdict = verdictSummary(error, failed);
                    String sessionId = target.session().id();
                    int number = target.iteration();
                    Changes c = new Changes();
                    c.op(tx -> tx.startIteration(sessionId, number, Optional.of("verification triggered by a person")));
                    c.op(tx -> tx.qaEvidence(sessionId, number, evidence(done)));
                    c.op(tx -> tx.finishIteration(sessionId, number, passed ? "passed" : "failed",
                            passed ? Optional.empty() : Optional.of(verdict), failureFingerprint(failed), Optional.empty()));
                    c.event(Event.draft(EventType.QA_VERDICT, passed ? Severity.INFO : Severity.WARNING, "task " + taskKey + ": " + verdict
                                    + " (checked again by a person)")
                            .withRun(runId).withTask(target.task().id()).withSession(sessionId)
                            .withPayload(json(Map.of("passed", passed, "iteration", number, "checks", done.size(), "manual", true))));
                    commit(c);
                    return passed;
                })).thenCompose(f -> f));
    }

    /**
     * Watches a session's raw output as it is printed (for terminal views); see {@link LiveOutput#subscribe}.
     * Safe from any thread: it does not go through the loop, so a busy engine never delays a view.
     */
    public LiveOutput.Subscription watchOutput(String sessionId, long fromOffset, LiveOutput.Listener listener) {
        return runtime.liveOutput().subscribe(sessionId, fromOffset, listener);
    }

    /** Types keys (text or escape sequences) into a running session's terminal, as a person at it would. */
    public CompletableFuture<Void> typeInto(String sessionId, String text) {
        return run(() -> {
            Live live = liveSession(sessionId).filter(l -> l.process != null)
                    .orElseThrow(() -> new ControlException("session " + sessionId + " is not running"));
            try {
                live.process.type(text);
            } catch (IOException e) {
                throw new ControlException("cannot type into session " + sessionId + ": " + e.getMessage());
            }
        });
    }

    /** Whether a session has a process this engine runs, so keys typed into it arrive. */
    public CompletableFuture<Boolean> isRunning(String sessionId) {
        return call(() -> liveSession(sessionId).filter(l -> l.process != null).isPresent());
    }

    private Optional<Live> liveSession(String sessionId) {
        return runs.values().stream().flatMap(r -> r.tasks.values().stream()).flatMap(t -> t.live.stream())
                .filter(l -> l.sessionId.equals(sessionId)).findFirst();
    }

    /** The roster changed (hire, fire, edit): re-read it before the next assignment. */
    public void rosterChanged() {
        loop.execute(() -> {
            rosterDirty = true;
            schedule();
        });
    }

    /** Resumes every unfinished run whose owner process is gone (after a crash or a restart). */
    public CompletableFuture<List<String>> resumeAbandoned() {
        return call(() -> {
            List<String> resumed = new ArrayList<>();
            for (RunSummary s : store.runs().unfinished()) {
                if (!runs.containsKey(s.id()) && !ownerAlive(s) && s.state() != RunState.PAUSED) {
                    adopt(s.id());
                    resumed.add(s.id());
                }
            }
            return resumed;
        });
    }

    /** The ids of the runs this process runs now. */
    public CompletableFuture<List<String>> activeRuns() {
        return call(() -> List.copyOf(runs.keySet()));
    }

    // ------------------------------------------------------------------------------- start/adopt

    private String startRun(long planId, RunOptions options) {
        PlanSummary plan = store.plans().find(planId).orElseThrow(() -> new ControlException("no task list with id " + planId));
        List<StoredTask> tasks = store.plans().tasksOf(planId);
        if (tasks.isEmpty()) {
            throw new ControlException("task list '" + plan.name() + "' has no tasks");
        }
        Map<String, Integer> waveOfKey = Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves();
        String runId = RunIds.next(clock);
        Map<Long, Integer> waveOf = new LinkedHashMap<>();
        Map<Long, TaskState> initial = new LinkedHashMap<>();
        for (StoredTask t : tasks) {
            waveOf.put(t.id(), waveOfKey.get(t.key()));
            initial.put(t.id(), t.spec().dependsOn().isEmpty() ? TaskState.READY : TaskState.PENDING);
        }
        int waves = waveOfKey.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        List<Event> events = new ArrayList<>();
        store.runs().commitResult(tx -> {
            tx.createRun(runId, planId, options, pid, waveOf, initial);
            return tx.event(Event.draft(EventType.RUN_STARTED, Severity.INFO, "run of '" + plan.name() + "' started: " + tasks.size()
                    + " tasks in " + waves + " waves, concurrency " + options.concurrency() + ", " + options.waveMode().id()
                    + " mode").withRun(runId).withPayload("{\"plan_id\":" + planId + ",\"tasks\":" + tasks.size() + ",\"waves\":" + waves
                    + ",\"started_by\":\"" + options.startedBy() + "\"}"));
        }, events);
        RunModel run = new RunModel(runId, planId, plan.name(), options.waveMode(), options.concurrency(), baseDir(plan),
                RunState.RUNNING, waves);
        int position = 0;
        Instant now = clock.instant();
        for (StoredTask t : tasks) {
            TaskNode node = new TaskNode(t, waveOf.get(t.id()), position++, initial.get(t.id()), 0);
            run.add(node);
            if (node.state == TaskState.READY) {
                node.readyAt = now;
                run.ready.add(node);
            }
        }
        run.link();
        runs.put(runId, run);
        announce(events);
        schedule();
        return runId;
    }

    private Path baseDir(PlanSummary plan) {
        return plan.sourcePath().map(Path::of).map(Path::toAbsolutePath).map(Path::getParent).orElse(config.defaultWorkDir());
    }

    /** Takes over a run stored by this or an earlier process and continues it from what is stored. */
    private void adopt(String runId) {
        RunSummary s = store.runs().find(runId).orElseThrow(() -> new ControlException("no run with id " + runId));
        if (s.state().isFinished() && s.state() != RunState.FAILED) {
            throw new ControlException("run " + runId + " has already finished (" + s.state().id() + ")");
        }
        if (ownerAlive(s) && s.ownerPid().orElse(-1L) != pid) {
            throw new ControlException("run " + runId + " is being run by process " + s.ownerPid().orElseThrow()
                    + "; stop it there first");
        }
        PlanSummary plan = store.plans().find(s.planId()).orElseThrow();
        Map<Long, StoredTask> defs = new LinkedHashMap<>();
        store.plans().tasksOf(s.planId()).forEach(t -> defs.put(t.id(), t));
        List<RunTask> states = store.runs().tasks(runId);
        Map<Long, RunTask> stateOf = new HashMap<>();
        states.forEach(rt -> stateOf.put(rt.taskId(), rt));
        Map<Long, Integer> maxAttempts = new HashMap<>();
        defs.values().forEach(t -> maxAttempts.put(t.id(), t.spec().maxAttempts()));

        // Processes of the old owner: end them before anything else is decided.
        List<SessionRecord> allSessions = store.runs().sessions(runId);
        List<SessionRecord> open = allSessions.stream().filter(SessionRecord::isOpen).toList();
        Map<String, Boolean> orphanKilled = new HashMap<>();
        for (SessionRecord session : open) {
            boolean killed = session.pid().map(p -> runtime.endOrphan(p, session.processStart(), config.killGrace())).orElse(false);
            orphanKilled.put(session.id(), killed);
        }
        int waves = states.stream().mapToInt(RunTask::wave).max().orElse(0) + 1;
        // A run waiting for a person's decision on a critical task stays paused until that decision.
        RunState target = states.stream().anyMatch(t -> t.state() == TaskState.NEEDS_DECISION) ? RunState.PAUSED : RunState.RUNNING;
        RunModel run = new RunModel(runId, s.planId(), plan.name(), s.waveMode(), s.concurrency(), baseDir(plan), s.state(), waves);
        run.pauseReason = s.pauseReason();
        int position = 0;
        for (StoredTask t : defs.values()) {
            RunTask rt = stateOf.get(t.id());
            TaskNode node = new TaskNode(t, rt.wave(), position++, rt.state(), rt.attempts());
            node.readyAt = rt.readyAt().orElse(Instant.EPOCH);
            node.nextAttemptAt = rt.nextAttemptAt();
            node.agentOverride = rt.agentId().filter(a -> rt.state() != TaskState.RUNNING);
            node.sessions = (int) allSessions.stream().filter(x -> x.taskId() == t.id()).count();
            run.add(node);
        }
        run.link();
        for (int w = 0; w < waves; w++) {
            final int wave = w;
            run.waveStarted[w] = run.tasks.values().stream().anyMatch(t -> t.wave == wave && t.attempts > 0);
        }
        Changes c = new Changes();
        if (s.state() == RunState.RUNNING || s.state() == RunState.STOPPING) {
            moveRun(c, run, RunState.INTERRUPTED, Optional.of("its process ended"), null, null, null);
        }
        c.op(tx -> tx.takeOwnership(runId, pid));
        moveRun(c, run, target, Optional.empty(), EventType.RUN_RESUMED, Severity.INFO, "run resumed by process " + pid
                + (open.isEmpty() ? "" : "; " + open.size() + " interrupted session(s) reconciled"));
        for (SessionRecord session : open) {
            boolean killed = orphanKilled.get(session.id());
            c.op(tx -> tx.endSession(session.id(), "interrupted", Optional.empty(),
                    killed ? "its process outlived Control Room and was ended" : "its process was gone"));
            c.event(Event.draft(killed ? EventType.ORPHAN_KILLED : EventType.SESSION_INTERRUPTED, Severity.WARNING,
                    (killed ? "ended orphan process " + session.pid().orElseThrow() + " of session " : "session ")
                            + session.id() + (killed ? "" : " was interrupted")).withRun(runId).withTask(session.taskId())
                    .withSession(session.id()));
            session.agentId().ifPresent(a -> c.op(tx -> tx.agentFinished(a, runId, session.taskId(), Optional.empty(), 0, false)));
        }
        for (TaskNode t : run.tasks.values()) {
            if (t.state == TaskState.RUNNING) {
                if (t.attempts >= maxAttempts.get(t.task.id())) {
                    failForGood(c, run, t, "interrupted, and its " + t.attempts + " attempt(s) are used up");
                } else {
                    move(c, run, t, TaskState.READY, Optional.of("interrupted; queued again"), EventType.TASK_REQUEUED, Severity.INFO,
                            "task " + t.key() + " queued again after an interruption (attempt " + t.attempts + " counted)");
                }
            } else if (t.state == TaskState.READY) {
                run.ready.add(t);
            } else if (t.state == TaskState.PENDING && run.mayStart(t)) {
                move(c, run, t, TaskState.READY, Optional.empty(), null, null, null);
            }
        }
        runs.put(runId, run);
        finishIfDone(c, run);
        commit(c);
        promoteDueRetries(run);
        schedule();
    }

    private boolean ownerAlive(RunSummary s) {
        Optional<Long> owner = s.ownerPid();
        if (owner.isEmpty()) {
            return false;
        }
        if (owner.get() == pid) {
            return runs.containsKey(s.id());
        }
        boolean alive = ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false);
        Optional<Instant> beat = store.runs().heartbeat(s.id());
        return alive && beat.map(b -> Duration.between(b, clock.instant()).compareTo(OWNER_SILENCE) < 0).orElse(false);
    }

    // ---------------------------------------------------------------------------------- schedule

    /** Starts ready tasks on free agents, best first, within every cap. */
    private void schedule() {
        Changes c = new Changes();
        commitAndLaunch(c, planStarts(c));
    }

    /**
     * Decides which ready tasks start now and adds their sessions to {@code c}; returns the launches
     * to carry out once {@code c} is stored (a session is on disk before its process exists).
     */
    private List<PendingStart> planStarts(Changes c) {
        refreshRoster();
        List<PendingStart> launches = new ArrayList<>();
        for (RunModel run : List.copyOf(runs.values())) {
            if (run.state != RunState.RUNNING || run.ready.isEmpty()) {
                continue;
            }
            boolean failed = false;
            for (TaskNode node : List.copyOf(run.ready)) {
                if (run.running >= run.concurrency || agents.values().stream().noneMatch(a -> a.running < a.agent.maxConcurrent())) {
                    break;
                }
                Optional<AgentSlot> slot = choose(run, node);
                if (slot.isPresent()) {
                    launches.add(prepareStart(c, run, node, slot.get()));
                } else if (agents.values().stream().noneMatch(a -> AgentScoring.mayTake(need(run, node), a.agent))) {
                    failForGood(c, run, node, noAgentReason(node));
                    failed = true;
                }
            }
            if (failed) {
                finishIfDone(c, run);
            }
        }
        return launches;
    }

    /** Stores the decision, then starts the processes it decided on and records their pids together. */
    private void commitAndLaunch(Changes c, List<PendingStart> launches) {
        if (!commit(c)) {
            return;
        }
        for (RunModel run : List.copyOf(runs.values())) {
            completeIfFinished(run);
        }
        if (launches.isEmpty()) {
            return;
        }
        launches.forEach(PendingStart::launch);
    }

    /** Starts a prepared session's process, once its session is stored. */
    @FunctionalInterface
    private interface PendingStart {
        void launch();
    }

    private String noAgentReason(TaskNode node) {
        TaskSpec spec = node.task.spec();
        if (spec.pinned()) {
            return "it is pinned to " + spec.agent().or(spec::profile).orElse("?") + ", which is not on the active roster";
        }
        return "no active agent can take it: it needs " + (need(null, node).isCommand() ? "a shell or custom agent"
                : "an AI agent (claude, codex, gemini, opencode, aider, ollama or custom)");
    }

    private AgentScoring.Need need(RunModel run, TaskNode node) {
        Optional<String> dir = run == null ? Optional.empty() : Optional.of(workingDir(run, node).toString());
        return AgentScoring.Need.of(node.task.spec(), dir);
    }

    private Optional<AgentSlot> choose(RunModel run, TaskNode node) {
        AgentScoring.Need need = need(run, node);
        Instant now = clock.instant();
        if (node.agentOverride.isPresent()) {
            AgentSlot wanted = agents.get(node.agentOverride.get());
            return wanted != null && wanted.agent.active() && wanted.running < wanted.agent.maxConcurrent() && profileHasRoom(wanted)
                    ? Optional.of(wanted) : Optional.empty();
        }
        List<AgentScoring.Candidate> candidates = new ArrayList<>();
        Map<Long, AgentSlot> byId = new HashMap<>();
        boolean others = node.avoidAgent.isPresent() && agents.values().stream()
                .anyMatch(a -> a.agent.id() != node.avoidAgent.get() && AgentScoring.mayTake(need, a.agent));
        for (AgentSlot a : agents.values()) {
            if (others && a.agent.id() == node.avoidAgent.get()) {
                continue; // stuck on this task before: hand it to another agent
            }
            if (profileHasRoom(a)) {
                candidates.add(new AgentScoring.Candidate(a.agent, a.running, a.lastDir, a.lastBranch, a.lastActive));
                byId.put(a.agent.id(), a);
            }
        }
        return AgentScoring.choose(need, candidates, now).map(c -> byId.get(c.agent().id()));
    }

    private boolean profileHasRoom(AgentSlot a) {
        Integer cap = config.profileCaps().get(a.agent.profile().id());
        return cap == null || runningPerProfile.getOrDefault(a.agent.profile().id(), 0) < cap;
    }

    private void refreshRoster() {
        if (!rosterDirty) {
            return;
        }
        Map<Long, Agent> active = new LinkedHashMap<>();
        store.agents().listActive().forEach(a -> active.put(a.id(), a));
        agents.keySet().removeIf(id -> !active.containsKey(id) && agents.get(id).running == 0);
        // A fired agent still finishing a session stays until it ends, as fired: it takes no new work meanwhile.
        agents.forEach((id, slot) -> {
            if (!active.containsKey(id)) {
                store.agents().find(id).ifPresent(fired -> slot.agent = fired);
            }
        });
        for (Agent a : active.values()) {
            AgentSlot slot = agents.get(a.id());
            if (slot == null) {
                agents.put(a.id(), new AgentSlot(a));
            } else {
                slot.agent = a;
            }
        }
        rosterDirty = false;
    }

    private Path workingDir(RunModel run, TaskNode node) {
        var ctx = node.task.spec().context();
        Path base = ctx.repo().map(r -> run.baseDir.resolve(r)).orElse(run.baseDir);
        return ctx.workingDir().map(base::resolve).orElse(base).normalize();
    }

    private PendingStart prepareStart(Changes c, RunModel run, TaskNode node, AgentSlot slot) {
        TaskSpec spec = node.task.spec();
        int attempt = node.attempts + 1;
        node.sessions++;
        String sessionId = RunIds.session(run.id, node.key(), node.sessions);
        boolean command = need(run, node).isCommand();
        AgentRuntime.Work work = command
                ? new AgentRuntime.Work.Command(spec.command().orElseThrow())
                : new AgentRuntime.Work.Prompt(slot.agent, spec.prompt().orElseGet(() -> spec.command().orElseThrow()), node.resumeId);
        Optional<Path> repo = spec.context().worktree() ? Optional.of(repoDir(run, node)) : Optional.empty();
        Optional<Path> worktree = repo.map(r -> runtime.worktreePath(r, run.id, node.key()));
        Path dir = worktree.map(w -> spec.context().workingDir().map(w::resolve).orElse(w).normalize()).orElseGet(() -> workingDir(run, node));
        Optional<String> branch = worktree.isPresent() ? Optional.of(worktreeBranch(run.id, node.key())) : spec.context().branch();
        TaskState from = node.state;
        run.ready.remove(node);
        node.state = TaskState.RUNNING;
        node.attempts = attempt;
        Instant now = clock.instant();
        Live live = new Live(sessionId, slot.agent.id(), slot.agent.profile().id(), now, spec.timeout().map(now::plus), dir.toString());
        live.work = work;
        live.worktree = worktree;
        node.live = Optional.of(live);
        run.running++;
        slot.running++;
        slot.lastDir = Optional.of(dir.toString());
        slot.lastBranch = branch;
        slot.lastActive = Optional.of(now);
        runningPerProfile.merge(live.profile, 1, Integer::sum);
        String shown = describe(work);
        c.op(tx -> tx.startSession(sessionId, run.id, node.task.id(), slot.agent.id(), attempt, dir.toString(), branch, shown, from));
        c.op(tx -> tx.startIteration(sessionId, 1, work instanceof AgentRuntime.Work.Prompt p ? Optional.of(p.prompt()) : Optional.empty()));
        worktree.ifPresent(w -> c.op(tx -> tx.worktree(run.id, node.task.id(), w.toString(), branch.orElseThrow())));
        if (!run.waveStarted[node.wave]) {
            run.waveStarted[node.wave] = true;
            c.op(tx -> tx.waveStarted(run.id, node.wave));
            c.event(Event.draft(EventType.WAVE_STARTED, Severity.INFO, "wave " + node.wave + " started (" + run.waveSize[node.wave]
                    + (run.waveSize[node.wave] == 1 ? " task)" : " tasks)")).withRun(run.id).withPayload("{\"wave\":" + node.wave + "}"));
        }
        c.event(Event.draft(EventType.TASK_STARTED, Severity.INFO, "task " + node.key() + " started on " + slot.agent.name()
                + " (attempt " + attempt + " of " + spec.maxAttempts() + ")").withRun(run.id).withTask(node.task.id())
                .withAgent(slot.agent.id()).withSession(sessionId)
                .withPayload("{\"attempt\":" + attempt + ",\"wave\":" + node.wave + "}"));
        return () -> {
            if (worktree.isEmpty()) {
                launchProcess(run, node, live, work);
                return;
            }
            // git is slow next to a decision: the worktree is made beside the loop, which then starts the process.
            blocking.execute(() -> {
                try {
                    String base = runtime.prepareWorktree(repo.orElseThrow(), spec.context().branch(), branch.orElseThrow(),
                            worktree.get(), spec.context().copyFiles());
                    loop.execute(() -> {
                        live.baseRef = Optional.of(base);
                        launchProcess(run, node, live, work);
                    });
                } catch (IOException | RuntimeException e) {
                    loop.execute(() -> onExit(run, node, live, null, e));
                }
            });
        };
    }

    /**
     * Starts one process of a session (its first, or the next iteration). The launch is decided here;
     * the spawn itself (milliseconds of fork and exec) happens beside the loop, so one thread of
     * decisions can keep many agents starting at once.
     */
    private void launchProcess(RunModel run, TaskNode node, Live live, AgentRuntime.Work work) {
        Path dir = Path.of(live.workingDir);
        TaskSpec spec = node.task.spec();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(spec.context().env());
        env.put("CONTROL_ROOM_RUN_ID", run.id);
        env.put("CONTROL_ROOM_TASK_ID", node.key());
        env.put("CONTROL_ROOM_SESSION_ID", live.sessionId);
        env.put("CONTROL_ROOM_ATTEMPT", Integer.toString(node.attempts));
        env.putIfAbsent("PORT", Integer.toString(freePort()));
        env.putIfAbsent("TERM", "xterm-256color");
        live.work = work;
        live.process = null;
        live.turnError = false;
        live.rateLimited = false;
        live.question = Optional.empty();
        live.awaitingAnswer = false;
        live.result = Optional.empty();
        List<String> setup = live.iteration == 1 ? spec.context().setup() : List.of();
        AgentRuntime.SessionContext context = new AgentRuntime.SessionContext(run.id, node.task.id(), live.agentId, live.iteration);
        AgentRuntime.Launch launch = new AgentRuntime.Launch(live.sessionId, work, setup, dir, env, context,
                signal -> loop.execute(() -> onSignal(run, node, live, signal)));
        blocking.execute(() -> {
            try {
                if (!Files.isDirectory(dir)) {
                    throw new IOException("working directory " + dir + " does not exist");
                }
                AgentRuntime.Process process = runtime.start(launch);
                try {
                    loop.execute(() -> attach(run, node, live, process));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    process.kill(config.killGrace()); // Control Room is closing: no process may outlive it unseen
                }
            } catch (IOException | RuntimeException e) {
                try {
                    loop.execute(() -> onExit(run, node, live, null, e));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    LOG.fine("a session failed to start while Control Room was closing: " + e.getMessage());
                }
            }
        });
    }

    /** A started process joins its session: its pid is stored, its exit followed, and a kill asked for meanwhile done. */
    private void attach(RunModel run, TaskNode node, Live live, AgentRuntime.Process process) {
        if (node.live.orElse(null) != live) {
            blocking.execute(() -> process.kill(config.killGrace())); // the session ended while its process started
            return;
        }
        live.process = process;
        Changes c = new Changes();
        c.op(tx -> tx.sessionRunning(live.sessionId, process.pid(), process.startTime()));
        commit(c);
        process.exit().whenComplete((code, error) -> loop.execute(() -> onExit(run, node, live, code, error)));
        live.killed.ifPresent(why -> blocking.execute(() -> process.kill(config.killGrace())));
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path repoDir(RunModel run, TaskNode node) {
        return node.task.spec().context().repo().map(run.baseDir::resolve).orElse(run.baseDir).normalize();
    }

    static String worktreeBranch(String runId, String taskKey) {
        return "cr/" + runId + "/" + taskKey;
    }

    private static String describe(AgentRuntime.Work work) {
        return switch (work) {
            case AgentRuntime.Work.Command c -> c.line();
            case AgentRuntime.Work.Prompt p -> p.agent().profile().id() + ": " + firstLine(p.prompt())
                    + p.resume().map(r -> " (resuming " + r + ")").orElse("");
        };
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    // ------------------------------------------------------------------------------- signals

    /** What the agent's output says while it runs: its own session id, questions, rate limits, tokens, errors. */
    private void onSignal(RunModel run, TaskNode node, Live live, AgentRuntime.Signal signal) {
        if (node.live.orElse(null) != live) {
            return;
        }
        Changes c = new Changes();
        switch (signal) {
            case AgentRuntime.Signal.NativeSession s -> {
                if (live.nativeId.equals(Optional.of(s.id()))) {
                    return;
                }
                live.nativeId = Optional.of(s.id());
                node.resumeId = Optional.of(s.id());
                c.op(tx -> tx.nativeSession(live.sessionId, s.id()));
            }
            case AgentRuntime.Signal.NeedsInput q -> {
                live.question = Optional.of(q.question());
                c.op(tx -> tx.agentStatus(live.agentId, "waiting"));
                c.event(Event.draft(EventType.NEEDS_INPUT, Severity.WARNING, "task " + node.key() + " asks: " + firstLine(q.question()))
                        .withRun(run.id).withTask(node.task.id()).withAgent(live.agentId).withSession(live.sessionId)
                        .withPayload(json(Map.of("question", q.question(), "task", node.key()))));
            }
            case AgentRuntime.Signal.RateLimited r -> {
                live.rateLimited = true;
                live.rateLimitedUntil = r.resetAt();
                c.op(tx -> tx.agentStatus(live.agentId, "rate_limited"));
                c.event(Event.draft(EventType.RATE_LIMITED, Severity.WARNING, "task " + node.key() + " is rate limited"
                        + r.resetAt().map(t -> " until " + t).orElse("") + ": " + firstLine(r.detail()))
                        .withRun(run.id).withTask(node.task.id()).withAgent(live.agentId).withSession(live.sessionId));
            }
            case AgentRuntime.Signal.Usage reported -> {
                AgentRuntime.Signal.Usage u = tokensOfThisTurn(node, live, reported);
                int number = live.iteration;
                c.op(tx -> tx.tokens(live.sessionId, number, run.id, node.task.id(), live.agentId, u.model(), u.input(), u.output(),
                        u.cacheRead(), u.cacheWrite()));
            }
            case AgentRuntime.Signal.Error e -> {
                // An agent looping on one error retries it: count an error again only after a pause, so
                // one build printing the same error for ten files counts once. Shell commands do not loop.
                Instant now = clock.instant();
                Instant last = live.errorCountedAt.get(e.fingerprint());
                if (!(live.work instanceof AgentRuntime.Work.Prompt) || last != null && Duration.between(last, now).compareTo(ERROR_REPEAT_GAP) < 0) {
                    return;
                }
                live.errorCountedAt.put(e.fingerprint(), now);
                int seen = live.errorCounts.merge(e.fingerprint(), 1, Integer::sum);
                if (seen >= config.repeatedErrorLimit() && live.killed.isEmpty()) {
                    stuck(c, run, node, live, "repeated_error", "the same error " + seen + " times: " + firstLine(e.message()));
                    // Policy: hand the task to another agent.
                    node.avoidAgent = Optional.of(live.agentId);
                    commit(c);
                    kill(live, KillReason.STUCK);
                    return;
                }
            }
            case AgentRuntime.Signal.TurnEnd t -> {
                live.turnError = t.isError();
                live.result = t.result();
            }
        }
        commit(c);
    }

    /**
     * Codex reports a resumed thread's usage for the whole thread so far: what this turn used is
     * the difference from what the thread had reported before. Other CLIs report each turn.
     */
    private static AgentRuntime.Signal.Usage tokensOfThisTurn(TaskNode node, Live live, AgentRuntime.Signal.Usage reported) {
        if (!live.profile.equals("codex") || live.nativeId.isEmpty()) {
            return reported;
        }
        long[] before = node.threadTotals.getOrDefault(live.nativeId.get(), new long[4]);
        node.threadTotals.put(live.nativeId.get(), new long[] {reported.input(), reported.output(), reported.cacheRead(), reported.cacheWrite()});
        return new AgentRuntime.Signal.Usage(Math.max(0, reported.input() - before[0]), Math.max(0, reported.output() - before[1]),
                Math.max(0, reported.cacheRead() - before[2]), Math.max(0, reported.cacheWrite() - before[3]), reported.model());
    }

    /** The watchdog's verdict: visible on the agent, in the log, and acted on by the caller's policy. */
    private void stuck(Changes c, RunModel run, TaskNode node, Live live, String kind, String reason) {
        live.stuckReason = Optional.of(reason);
        c.op(tx -> tx.agentStatus(live.agentId, "stuck"));
        c.event(Event.draft(EventType.AGENT_STUCK, Severity.ERROR, "task " + node.key() + " is stuck: " + reason)
                .withRun(run.id).withTask(node.task.id()).withAgent(live.agentId).withSession(live.sessionId)
                .withPayload(json(Map.of("kind", kind, "reason", reason))));
    }

    // ------------------------------------------------------------------------------- outcomes

    private void onExit(RunModel run, TaskNode node, Live live, Integer code, Throwable error) {
        if (node.live.orElse(null) != live) {
            return;
        }
        Optional<Integer> exit = Optional.ofNullable(code);
        String exitText = error != null ? "could not start: " + rootMessage(error) : "exited with code " + code;
        Changes c = new Changes();
        if (live.killed.isPresent()) {
            KillReason why = live.killed.get();
            switch (why) {
                case TIMEOUT -> attemptFailed(c, run, node, live, exit, "timed out after "
                        + human(node.task.spec().timeout().orElseThrow()) + " and was ended");
                case STUCK -> attemptFailed(c, run, node, live, exit, "stuck (" + live.stuckReason.orElse("?") + ") and was ended");
                case TERMINATED -> attemptFailed(c, run, node, live, exit, "its session was ended by a person");
                case CANCELLED -> {
                    endLive(c, run, node, live, exit, "cancelled", Optional.empty());
                    move(c, run, node, TaskState.CANCELLED, Optional.of("cancelled by a person"), EventType.TASK_CANCELLED,
                            Severity.WARNING, "task " + node.key() + " cancelled; its session was ended");
                    blockDependents(c, run, node);
                }
                case SKIPPED -> {
                    endLive(c, run, node, live, exit, "skipped", Optional.empty());
                    move(c, run, node, TaskState.SKIPPED, Optional.of("skipped by a person"), EventType.TASK_SKIPPED, Severity.INFO,
                            "task " + node.key() + " skipped; its session was ended");
                    promoteDependents(c, run, node);
                }
                case STOPPED, REASSIGNED -> {
                    endLive(c, run, node, live, exit, why == KillReason.STOPPED ? "the run was stopped" : "reassigned", Optional.empty());
                    move(c, run, node, TaskState.READY, Optional.of(why == KillReason.STOPPED ? "stopped; queued again" : "reassigned"),
                            EventType.TASK_REQUEUED, Severity.INFO, "task " + node.key() + " queued again");
                }
            }
        } else if (error != null) {
            attemptFailed(c, run, node, live, exit, exitText);
        } else if (live.rateLimited && (code != 0 || live.turnError)) {
            park(c, run, node, live, exit);
        } else if (live.question.isPresent() && code == 0 && !live.turnError && config.nobodyToAsk()) {
            attemptFailed(c, run, node, live, exit, "the agent asked \"" + firstLine(live.question.orElseThrow())
                    + "\" and nobody is there to answer (run it where a person can, or say it in the prompt)");
        } else if (live.question.isPresent() && code == 0 && !live.turnError) {
            // The agent asked and its turn ended: the session waits for a person's answer.
            live.awaitingAnswer = true;
            live.process = null;
            int number = live.iteration;
            c.op(tx -> tx.finishIteration(live.sessionId, number, "interrupted",
                    Optional.of("waiting for an answer: " + firstLine(live.question.orElseThrow())), Optional.empty(), Optional.empty()));
            commit(c);
            return;
        } else if (code == 0 && !live.turnError) {
            List<String> verify = node.task.spec().verify();
            if (verify.isEmpty()) {
                int number = live.iteration;
                c.op(tx -> tx.finishIteration(live.sessionId, number, "passed", Optional.empty(), Optional.empty(), Optional.empty()));
                succeed(c, run, node, live, exit);
            } else {
                live.verifying = true;
                Duration limit = node.task.spec().timeout().orElse(Duration.ofMinutes(30));
                Path dir = Path.of(live.workingDir);
                runtime.verify(verify, dir, Map.of("CONTROL_ROOM_RUN_ID", run.id, "CONTROL_ROOM_TASK_ID", node.key(),
                                "CONTROL_ROOM_SESSION_ID", live.sessionId), limit)
                        .thenApply(checks -> new Verdict(checks, live.worktree.flatMap(w -> live.baseRef.flatMap(b -> runtime.changeFingerprint(w, b)))))
                        .whenComplete((verdict, e) -> loop.execute(() -> onVerified(run, node, live, verdict, e, exit)));
                return;
            }
        } else {
            String reason = live.turnError ? "the agent reported a failed turn" + live.result.map(r -> ": " + firstLine(r)).orElse("")
                    + (code != 0 ? " (exit code " + code + ")" : "") : exitText;
            attemptFailed(c, run, node, live, exit, reason);
        }
        settle(c, run);
    }

    /** The checks of one verification and, for a worktree, the fingerprint of its changes at that moment. */
    private record Verdict(List<AgentRuntime.Check> checks, Optional<String> changes) {
    }

    private void onVerified(RunModel run, TaskNode node, Live live, Verdict verdict, Throwable error, Optional<Integer> exit) {
        if (node.live.orElse(null) != live) {
            return;
        }
        live.verifying = false;
        Changes c = new Changes();
        List<AgentRuntime.Check> checks = verdict == null ? List.of() : verdict.checks();
        List<RunStore.QaEvidence> evidence = evidence(checks);
        Optional<AgentRuntime.Check> failed = checks.stream().filter(k -> !k.passed()).findFirst();
        boolean passed = error == null && failed.isEmpty();
        String summary = verdictSummary(error, failed);
        Optional<String> fingerprint = failureFingerprint(failed);
        Optional<String> changes = verdict == null ? Optional.empty() : verdict.changes();
        int number = live.iteration; // ops run at commit, after a next iteration may have begun
        c.op(tx -> tx.qaEvidence(live.sessionId, number, evidence));
        c.op(tx -> tx.finishIteration(live.sessionId, number, passed ? "passed" : "failed",
                passed ? Optional.empty() : Optional.of(summary), fingerprint, changes));
        c.event(Event.draft(EventType.QA_VERDICT, passed ? Severity.INFO : Severity.WARNING, "task " + node.key() + ": " + summary
                        + (live.iteration > 1 ? " (iteration " + live.iteration + ")" : ""))
                .withRun(run.id).withTask(node.task.id()).withSession(live.sessionId)
                .withPayload(json(Map.of("passed", passed, "iteration", live.iteration, "checks", evidence.size()))));
        if (passed) {
            succeed(c, run, node, live, exit);
        } else if (live.work instanceof AgentRuntime.Work.Prompt prompt) {
            iterationFailed(c, run, node, live, prompt, failed, summary, fingerprint, changes, exit);
            return;
        } else {
            attemptFailed(c, run, node, live, exit, summary);
        }
        settle(c, run);
    }

    private static List<RunStore.QaEvidence> evidence(List<AgentRuntime.Check> checks) {
        return checks.stream()
                .map(k -> new RunStore.QaEvidence("custom", k.command(), k.exitCode(), k.passed(), k.output(), k.durationMs())).toList();
    }

    private static String verdictSummary(Throwable error, Optional<AgentRuntime.Check> failed) {
        return error != null ? "verification could not run: " + rootMessage(error)
                : failed.map(f -> "verification `" + f.command() + "` " + f.exitCode().map(x -> "exited with code " + x)
                .orElse("timed out")).orElse("verification passed");
    }

    private static Optional<String> failureFingerprint(Optional<AgentRuntime.Check> failed) {
        return failed.map(f -> fingerprint(f.command() + " " + f.exitCode().map(String::valueOf).orElse("timeout")
                + " " + lastLines(f.output(), 5)));
    }

    /**
     * An AI iteration did not pass verification: the next iteration continues the same agent
     * session with the structured failure in its prompt, unless the failure repeats, nothing
     * changed, or the budget is spent.
     */
    private void iterationFailed(Changes c, RunModel run, TaskNode node, Live live, AgentRuntime.Work.Prompt prompt,
                                 Optional<AgentRuntime.Check> failed, String summary, Optional<String> fingerprint,
                                 Optional<String> changes, Optional<Integer> exit) {
        Optional<String> stopEarly = Optional.empty();
        if (fingerprint.isPresent() && fingerprint.equals(live.lastFailureFingerprint)) {
            stopEarly = Optional.of("the same verification failure twice in a row");
        } else if (changes.isPresent() && changes.equals(live.lastChangeFingerprint)) {
            stopEarly = Optional.of("the agent changed nothing since the last iteration");
        }
        live.lastFailureFingerprint = fingerprint;
        live.lastChangeFingerprint = changes;
        TaskSpec spec = node.task.spec();
        if (stopEarly.isPresent() || node.attempts >= spec.maxAttempts()) {
            String why = stopEarly.map(s -> summary + "; stopped early: " + s)
                    .orElse(summary + "; " + node.attempts + " of " + spec.maxAttempts() + " iterations used");
            endLive(c, run, node, live, exit, why, Optional.of(false));
            c.event(Event.draft(EventType.TASK_ESCALATED, Severity.ERROR, "task " + node.key() + " escalated: " + why)
                    .withRun(run.id).withTask(node.task.id()).withSession(live.sessionId));
            giveUp(c, run, node, why);
            settle(c, run);
            return;
        }
        node.attempts++;
        int attempts = node.attempts;
        c.op(tx -> tx.countAttempt(run.id, node.task.id(), attempts));
        live.iteration++;
        live.deadline = spec.timeout().map(clock.instant()::plus);
        boolean resume = runtime.canResume(prompt) && live.nativeId.isPresent();
        String feedback = feedback(failed, summary);
        String text = resume ? feedback : prompt.prompt() + "\n\n" + feedback;
        c.event(Event.draft(EventType.ITERATION_STARTED, Severity.INFO, "task " + node.key() + " iteration " + live.iteration + " of "
                + spec.maxAttempts() + (resume ? ", continuing session " + live.nativeId.orElseThrow() : "") + ": " + summary)
                .withRun(run.id).withTask(node.task.id()).withSession(live.sessionId));
        continueSession(c, run, node, live, new AgentRuntime.Work.Prompt(prompt.agent(), text, resume ? live.nativeId : Optional.empty()));
    }

    /** Starts the session's next process (an iteration, an answer) with {@code next}, once {@code c} is stored. */
    private void continueSession(Changes c, RunModel run, TaskNode node, Live live, AgentRuntime.Work.Prompt next) {
        int number = live.iteration;
        c.op(tx -> tx.startIteration(live.sessionId, number, Optional.of(next.prompt())));
        c.op(tx -> tx.agentStatus(live.agentId, "busy"));
        if (commit(c)) {
            launchProcess(run, node, live, next);
        }
    }

    /** The structured failure the next iteration is asked to fix. */
    static String feedback(Optional<AgentRuntime.Check> failed, String summary) {
        StringBuilder sb = new StringBuilder("Control Room ran the task's verification and it failed.\n");
        failed.ifPresentOrElse(f -> {
            sb.append("Command: ").append(f.command()).append('\n');
            sb.append("Result: ").append(f.exitCode().map(x -> "exit code " + x).orElse("timed out")).append('\n');
            sb.append("Output (last lines):\n").append(lastLines(f.output(), 40)).append('\n');
        }, () -> sb.append(summary).append('\n'));
        sb.append("Fix the cause, then finish the task so that the verification passes.");
        return sb.toString();
    }

    static String lastLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** Normalised so that the same failure on another line, run or path reads the same. */
    static String fingerprint(String text) {
        String normal = text.replaceAll("0x[0-9a-fA-F]+", "<hex>").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27,}", "<id>")
                .replaceAll("(/[^\\s:]+)+", "<path>").replaceAll("\\d+", "<n>").replaceAll("\\s+", " ").strip();
        return Integer.toHexString(normal.hashCode()) + " " + (normal.length() > 160 ? normal.substring(0, 160) : normal);
    }

    /** A person's answer to the agent's question continues that exact session. */
    public CompletableFuture<Void> answer(String runId, String taskKey, String text) {
        return run(() -> {
            RunModel run = model(runId);
            TaskNode node = task(run, taskKey);
            Live live = node.live.filter(l -> l.question.isPresent()).orElseThrow(() ->
                    new ControlException("task " + taskKey + " has not asked anything"));
            if (live.process != null && !live.awaitingAnswer) {
                // The agent waits at a prompt in its terminal: type the answer there.
                try {
                    live.process.type(text + "\r");
                } catch (IOException e) {
                    throw new ControlException("cannot type into task " + taskKey + "'s terminal: " + e.getMessage());
                }
                live.question = Optional.empty();
                Changes c = new Changes();
                c.op(tx -> tx.agentStatus(live.agentId, "busy"));
                c.event(Event.draft(EventType.ANSWERED, Severity.INFO, "task " + taskKey + " answered in its terminal")
                        .withRun(run.id).withTask(node.task.id()).withSession(live.sessionId));
                commit(c);
                return;
            }
            if (!(live.work instanceof AgentRuntime.Work.Prompt prompt)) {
                throw new ControlException("task " + taskKey + " is not an AI task");
            }
            boolean resume = runtime.canResume(prompt) && live.nativeId.isPresent();
            live.iteration++;
            Changes c = new Changes();
            c.event(Event.draft(EventType.ANSWERED, Severity.INFO, "task " + taskKey + " answered" + (resume ? "; session "
                    + live.nativeId.orElseThrow() + " continues" : "")).withRun(run.id).withTask(node.task.id()).withSession(live.sessionId));
            continueSession(c, run, node, live, new AgentRuntime.Work.Prompt(prompt.agent(), text, resume ? live.nativeId : Optional.empty()));
        });
    }

    /** A rate-limited task waits for the limit to reset, then is queued again and continues its agent session. */
    private void park(Changes c, RunModel run, TaskNode node, Live live, Optional<Integer> exit) {
        Instant until = live.rateLimitedUntil.filter(t -> t.isAfter(clock.instant())).orElse(clock.instant().plus(config.rateLimitWait()));
        endLive(c, run, node, live, exit, "rate limited until " + until, Optional.empty());
        node.attempts--; // a rate limit is the provider's doing, not a failed attempt
        node.state.moveTo(TaskState.PARKED);
        node.state = TaskState.PARKED;
        node.nextAttemptAt = Optional.of(until);
        c.op(tx -> tx.park(run.id, node.task.id(), until, "rate limited until " + until));
        c.op(tx -> tx.agentStatus(live.agentId, "rate_limited"));
        c.event(Event.draft(EventType.TASK_PARKED, Severity.WARNING, "task " + node.key() + " parked until " + until + " (rate limited)")
                .withRun(run.id).withTask(node.task.id()).withAgent(live.agentId).withSession(live.sessionId));
        loop.schedule(() -> promoteDueRetries(run), Math.max(0, Duration.between(clock.instant(), until).toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * Stores the step's changes together with the sessions they let start, in one transaction, and
     * starts those at once: freed slots never wait for a timer.
     */
    private void settle(Changes c, RunModel run) {
        finishIfDone(c, run);
        commitAndLaunch(c, planStarts(c));
    }

    private void succeed(Changes c, RunModel run, TaskNode node, Live live, Optional<Integer> exit) {
        endLive(c, run, node, live, exit, "succeeded", Optional.of(true));
        move(c, run, node, TaskState.SUCCEEDED, Optional.empty(), EventType.TASK_SUCCEEDED, Severity.INFO,
                "task " + node.key() + " succeeded in " + human(Duration.between(live.startedAt, clock.instant()))
                        + (live.iteration > 1 ? " after " + live.iteration + " iterations" : ""));
        promoteDependents(c, run, node);
    }

    private void attemptFailed(Changes c, RunModel run, TaskNode node, Live live, Optional<Integer> exit, String reason) {
        int number = live.iteration;
        c.op(tx -> tx.finishIteration(live.sessionId, number, "error", Optional.of(reason), Optional.empty(), Optional.empty()));
        endLive(c, run, node, live, exit, reason, Optional.of(false));
        TaskSpec spec = node.task.spec();
        if (node.attempts < spec.maxAttempts()) {
            Duration wait = backoff(node.attempts);
            Instant at = clock.instant().plus(wait);
            node.state.moveTo(TaskState.RETRY_WAIT);
            node.state = TaskState.RETRY_WAIT;
            node.nextAttemptAt = Optional.of(at);
            c.op(tx -> tx.scheduleRetry(run.id, node.task.id(), at, reason));
            c.event(Event.draft(EventType.TASK_RETRY_SCHEDULED, Severity.WARNING, "task " + node.key() + " attempt " + node.attempts
                    + " failed (" + reason + "); attempt " + (node.attempts + 1) + " in " + human(wait))
                    .withRun(run.id).withTask(node.task.id()).withSession(live.sessionId));
            loop.schedule(() -> promoteDueRetries(run), wait.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            giveUp(c, run, node, reason);
        }
    }

    /** Out of attempts: a critical task waits for a person's decision, any other fails and blocks its dependents. */
    private void giveUp(Changes c, RunModel run, TaskNode node, String reason) {
        if (node.task.spec().critical()) {
            move(c, run, node, TaskState.NEEDS_DECISION, Optional.of(reason), EventType.TASK_NEEDS_DECISION, Severity.CRITICAL,
                    "critical task " + node.key() + " failed (" + reason + "): the run is paused until a person retries, skips or cancels it");
            if (run.state == RunState.RUNNING) {
                moveRun(c, run, RunState.PAUSED, Optional.of("critical task " + node.key() + " failed"), EventType.RUN_PAUSED,
                        Severity.CRITICAL, "run paused: critical task " + node.key() + " failed");
            }
        } else {
            move(c, run, node, TaskState.FAILED, Optional.of(reason), EventType.TASK_FAILED, Severity.ERROR,
                    "task " + node.key() + " failed after " + node.attempts + " attempt(s): " + reason);
            blockDependents(c, run, node);
        }
    }

    private Duration backoff(int attemptsDone) {
        long base = config.retryBackoff().toMillis();
        long wait = base << Math.min(20, Math.max(0, attemptsDone - 1));
        return Duration.ofMillis(Math.min(wait, config.maxRetryBackoff().toMillis()));
    }

    private void failForGood(Changes c, RunModel run, TaskNode node, String reason) {
        move(c, run, node, TaskState.FAILED, Optional.of(reason), EventType.TASK_FAILED, Severity.ERROR, "task " + node.key() + " failed: " + reason);
        blockDependents(c, run, node);
    }

    /** Ends the session: frees the agent slot and records how and why it ended. */
    private void endLive(Changes c, RunModel run, TaskNode node, Live live, Optional<Integer> exit, String reason,
                         Optional<Boolean> outcome) {
        node.live = Optional.empty();
        run.running--;
        runningPerProfile.merge(live.profile, -1, Integer::sum);
        AgentSlot slot = agents.get(live.agentId);
        boolean stillBusy = false;
        if (slot != null) {
            slot.running--;
            slot.lastActive = Optional.of(clock.instant());
            stillBusy = slot.running > 0;
        }
        String status = live.killed.isPresent() ? (live.killed.get() == KillReason.STOPPED || live.killed.get() == KillReason.REASSIGNED
                ? "interrupted" : "killed") : (live.process == null && exit.isEmpty() && !live.awaitingAnswer ? "failed_to_start" : "exited");
        // The session row keeps how it ended; the task's own event says what that meant.
        c.op(tx -> tx.endSession(live.sessionId, status, exit, reason));
        long duration = Duration.between(live.startedAt, clock.instant()).toMillis();
        boolean busy = stillBusy;
        c.op(tx -> tx.agentFinished(live.agentId, run.id, node.task.id(), outcome, duration, busy));
    }

    private static String json(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{}";
        }
    }

    /** Dependents whose dependencies are now all done become ready; in barrier mode a finished wave frees the next. */
    private void promoteDependents(Changes c, RunModel run, TaskNode done) {
        List<TaskNode> candidates = run.waveMode == dev.controlroom.domain.WaveMode.BARRIER
                ? run.tasks.values().stream().filter(t -> t.state == TaskState.PENDING).toList()
                : done.dependents;
        for (TaskNode d : candidates) {
            if (d.state == TaskState.PENDING && run.mayStart(d)) {
                move(c, run, d, TaskState.READY, Optional.empty(), null, null, null);
            }
        }
    }

    /** Every task that (transitively) needs a failed task can no longer run. */
    private void blockDependents(Changes c, RunModel run, TaskNode failed) {
        Deque<TaskNode> queue = new ArrayDeque<>(failed.dependents);
        while (!queue.isEmpty()) {
            TaskNode d = queue.poll();
            if (d.state == TaskState.PENDING || d.state == TaskState.READY) {
                move(c, run, d, TaskState.BLOCKED, Optional.of("needs " + failed.key() + ", which " + failed.state.id()),
                        EventType.TASK_BLOCKED, Severity.WARNING, "task " + d.key() + " blocked: it needs " + failed.key()
                                + ", which " + (failed.state == TaskState.FAILED ? "failed" : "was " + failed.state.id()));
                queue.addAll(d.dependents);
            }
        }
        if (run.waveMode == dev.controlroom.domain.WaveMode.BARRIER) {
            promoteDependents(c, run, failed);
        }
    }

    /** A retried or skipped task gives its blocked dependents another chance. */
    private void unblockDependents(Changes c, RunModel run, TaskNode t) {
        Deque<TaskNode> queue = new ArrayDeque<>(t.dependents);
        while (!queue.isEmpty()) {
            TaskNode d = queue.poll();
            if (d.state == TaskState.BLOCKED && !run.hasFailedDependency(d)) {
                move(c, run, d, TaskState.PENDING, Optional.empty(), null, null, null);
                queue.addAll(d.dependents);
            }
        }
    }

    private void reopenRun(Changes c, RunModel run) {
        if (run.state == RunState.FAILED) {
            moveRun(c, run, RunState.RUNNING, Optional.empty(), EventType.RUN_RESUMED, Severity.INFO, "run reopened");
        } else if (run.state == RunState.PAUSED && run.tasks.values().stream().noneMatch(t -> t.state == TaskState.NEEDS_DECISION)
                && run.tasks.values().stream().anyMatch(t -> t.state == TaskState.READY)
                && run.pauseReason.map(r -> r.startsWith("critical task")).orElse(false)) {
            moveRun(c, run, RunState.RUNNING, Optional.empty(), EventType.RUN_RESUMED, Severity.INFO, "run continues after the decision");
        }
    }

    private void promoteDueRetries(RunModel run) {
        if (!runs.containsKey(run.id)) {
            return;
        }
        Instant now = clock.instant();
        Changes c = new Changes();
        for (TaskNode t : run.tasks.values()) {
            if ((t.state == TaskState.RETRY_WAIT || t.state == TaskState.PARKED) && t.nextAttemptAt.map(at -> !at.isAfter(now)).orElse(true)) {
                move(c, run, t, TaskState.READY, Optional.empty(), null, null, null);
            }
        }
        if (!c.isEmpty()) {
            commit(c);
            schedule();
        }
    }

    /** Ends the run when every task has settled. */
    private void finishIfDone(Changes c, RunModel run) {
        for (int w = 0; w < run.waveSize.length; w++) {
            if (run.waveStarted[w] && run.waveDone[w] == run.waveSize[w] && !c.waveFinished.contains(w) && !run.waveAnnounced(w)) {
                final int wave = w;
                boolean ok = run.tasks.values().stream().filter(t -> t.wave == wave).allMatch(t -> t.state.satisfiesDependents());
                c.waveFinished.add(w);
                run.markWaveAnnounced(w);
                c.op(tx -> tx.waveFinished(run.id, wave, ok));
                c.event(Event.draft(EventType.WAVE_FINISHED, ok ? Severity.INFO : Severity.WARNING, "wave " + w + " finished"
                        + (ok ? "" : " with failures")).withRun(run.id).withPayload("{\"wave\":" + w + ",\"succeeded\":" + ok + "}"));
            }
        }
        if (run.state == RunState.RUNNING && run.allTerminal()) {
            boolean ok = run.allSatisfied();
            long failed = run.tasks.values().stream().filter(t -> !t.state.satisfiesDependents()).count();
            moveRun(c, run, ok ? RunState.SUCCEEDED : RunState.FAILED, Optional.empty(), EventType.RUN_FINISHED,
                    ok ? Severity.INFO : Severity.ERROR, "run " + (ok ? "succeeded" : "failed: " + failed + " task(s) failed or blocked"));
        } else if (run.state == RunState.STOPPING && run.tasks.values().stream().noneMatch(t -> t.live.isPresent())) {
            moveRun(c, run, RunState.CANCELLED, Optional.of("cancelled by a person"), EventType.RUN_CANCELLED, Severity.WARNING, "run cancelled");
        }
    }

    private void completeIfFinished(RunModel run) {
        if (run.state.isFinished() && !reopening.equals(Optional.of(run.id))) {
            runs.remove(run.id);
            store.runs().find(run.id).ifPresent(run.finished::complete);
        }
    }

    // ---------------------------------------------------------------------------------- tick

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "orchestrator tick failed", e);
        }
    }

    /** Heartbeats, timeouts, the watchdog and due retries: the only periodic work. */
    private void tick() {
        Instant now = clock.instant();
        for (RunModel run : List.copyOf(runs.values())) {
            for (TaskNode t : run.tasks.values()) {
                t.live.ifPresent(live -> watch(run, t, live, now));
            }
            promoteDueRetries(run);
        }
        if (Duration.between(lastHeartbeat, now).compareTo(HEARTBEAT_EVERY) >= 0 && !runs.isEmpty()) {
            lastHeartbeat = now;
            Changes c = new Changes();
            runs.keySet().forEach(id -> c.op(tx -> tx.heartbeat(id)));
            commit(c);
        }
    }

    /** Timeouts, and an agent that went silent while nothing it started is working: stuck. */
    private void watch(RunModel run, TaskNode node, Live live, Instant now) {
        if (live.killed.isPresent() || live.verifying || live.process == null) {
            return;
        }
        if (live.deadline.map(d -> !d.isAfter(now)).orElse(false)) {
            kill(live, KillReason.TIMEOUT);
            return;
        }
        // Silence counts from the last output or the last moment a child was seen working, whichever is later:
        // when a build ends, the agent gets the full limit to react to it.
        Instant lastSign = live.process.lastOutput().isAfter(live.lastBusyAt) ? live.process.lastOutput() : live.lastBusyAt;
        Duration silent = Duration.between(lastSign, now);
        if (silent.compareTo(config.noOutputLimit()) < 0 || live.question.isPresent()) {
            return;
        }
        if (live.process.hasBusyChildren()) {
            live.lastBusyAt = now;
            return;
        }
        Changes c = new Changes();
        // Policy: restart with context. The next attempt continues the agent's own session when it has one.
        stuck(c, run, node, live, "no_output", "no output for " + human(silent) + " and no busy child process");
        commit(c);
        kill(live, KillReason.STUCK);
    }

    private void kill(Live live, KillReason why) {
        if (live.killed.isPresent()) {
            return;
        }
        live.killed = Optional.of(why);
        if (live.process != null) {
            AgentRuntime.Process process = live.process;
            blocking.execute(() -> process.kill(config.killGrace()));
        }
    }

    // ---------------------------------------------------------------------------------- plumbing

    /** The changes of one decision: applied to the model as they are made, stored together. */
    private static final class Changes {
        final List<Consumer<RunStore.Tx>> ops = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        final List<Integer> waveFinished = new ArrayList<>();

        void op(Consumer<RunStore.Tx> op) {
            ops.add(op);
        }

        void event(Event e) {
            ops.add(tx -> events.add(tx.event(e)));
        }

        boolean isEmpty() {
            return ops.isEmpty();
        }
    }

    private void move(Changes c, RunModel run, TaskNode n, TaskState to, Optional<String> reason, EventType eventType,
                      Severity severity, String message) {
        TaskState from = n.state;
        from.moveTo(to);
        if (from == TaskState.READY) {
            run.ready.remove(n);
        }
        boolean wasTerminal = from.isTerminal();
        n.state = to;
        if (to == TaskState.READY) {
            n.readyAt = clock.instant();
            n.nextAttemptAt = Optional.empty();
            run.ready.add(n);
        }
        if (!wasTerminal && to.isTerminal()) {
            run.waveDone[n.wave]++;
        } else if (wasTerminal && !to.isTerminal()) {
            run.waveDone[n.wave]--;
            run.unmarkWaveAnnounced(n.wave);
        }
        c.op(tx -> tx.moveTask(run.id, n.task.id(), from, to, reason));
        if (eventType != null) {
            c.event(Event.draft(eventType, severity, message).withRun(run.id).withTask(n.task.id())
                    .withPayload("{\"from\":\"" + from.id() + "\",\"to\":\"" + to.id() + "\"}"));
        }
    }

    private void moveRun(Changes c, RunModel run, RunState to, Optional<String> reason, EventType eventType, Severity severity,
                         String message) {
        RunState from = run.state;
        if (from == to) {
            return;
        }
        from.moveTo(to);
        run.state = to;
        run.pauseReason = reason;
        c.op(tx -> tx.moveRun(run.id, from, to, reason));
        if (eventType != null) {
            c.event(Event.draft(eventType, severity, message).withRun(run.id)
                    .withPayload("{\"from\":\"" + from.id() + "\",\"to\":\"" + to.id() + "\"}"));
        }
    }

    /** Stores a decision; on a storage failure the run is held, since memory and disk may now disagree. */
    private boolean commit(Changes c) {
        if (c.isEmpty()) {
            return true;
        }
        try {
            store.runs().commit(tx -> c.ops.forEach(op -> op.accept(tx)));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not store a decision; holding the affected runs until they are resumed", e);
            for (RunModel run : List.copyOf(runs.values())) {
                run.state = RunState.INTERRUPTED;
                runs.remove(run.id);
                run.finished.completeExceptionally(new ControlException("run " + run.id + " was halted: the database refused a write ("
                        + rootMessage(e) + "); resume it once the problem is fixed"));
            }
            return false;
        }
        announce(c.events);
        return true;
    }

    private void announce(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        for (Consumer<List<Event>> l : listeners) {
            try {
                l.accept(events);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an event listener failed", e);
            }
        }
    }

    private RunModel model(String runId) {
        RunModel run = runs.get(runId);
        if (run == null) {
            throw new ControlException(store.runs().find(runId).map(s -> "run " + runId + " is " + s.state().id()
                    + (s.state().isFinished() ? "" : " and not run by this process; resume it first")).orElse("no run with id " + runId));
        }
        return run;
    }

    private static TaskNode task(RunModel run, String key) {
        TaskNode t = run.byKey.get(key);
        if (t == null) {
            throw new ControlException("run " + run.id + " has no task '" + key + "'");
        }
        return t;
    }

    private <T> CompletableFuture<T> call(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private CompletableFuture<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t.getMessage() == null)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Ends every session of the runs this process owns and leaves the runs interrupted, so that the
     * next start (or {@code resume}) continues them. Blocks until done or {@code limit} passes.
     */
    public void shutdown(Duration limit) {
        CompletableFuture<Void> done = run(() -> {
            for (RunModel run : List.copyOf(runs.values())) {
                Changes c = new Changes();
                for (TaskNode t : run.tasks.values()) {
                    if (t.live.isEmpty()) {
                        continue;
                    }
                    Live live = t.live.get();
                    live.killed = Optional.of(KillReason.STOPPED);
                    if (live.process != null) {
                        live.process.kill(config.killGrace());
                    }
                    endLive(c, run, t, live, Optional.empty(), "Control Room was closed", Optional.empty());
                    move(c, run, t, TaskState.READY, Optional.of("Control Room was closed; queued again"), null, null, null);
                }
                if (run.state.canMoveTo(RunState.INTERRUPTED)) {
                    moveRun(c, run, RunState.INTERRUPTED, Optional.of("Control Room was closed"), EventType.RUN_INTERRUPTED,
                            Severity.WARNING, "run interrupted: Control Room was closed; it continues at the next start or with resume");
                }
                commit(c);
                runs.remove(run.id);
                run.finished.completeExceptionally(new ControlException("run " + run.id + " was interrupted: Control Room was closed"));
            }
        });
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "shutting the orchestrator down did not finish cleanly", e);
        }
        ticker.cancel(false);
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(15));
    }
}
