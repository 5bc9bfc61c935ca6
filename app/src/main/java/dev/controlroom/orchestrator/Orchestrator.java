package dev.controlroom.orchestrator;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.commands.RunCommands;
import dev.controlroom.orchestrator.commands.Sessions;
import dev.controlroom.orchestrator.commands.TaskCommands;
import dev.controlroom.orchestrator.launch.SessionEnvironment;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.launch.SessionListener;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.outcomes.AttemptOutcome;
import dev.controlroom.orchestrator.outcomes.ExitOutcome;
import dev.controlroom.orchestrator.outcomes.RetryPolicy;
import dev.controlroom.orchestrator.outcomes.SignalOutcome;
import dev.controlroom.orchestrator.outcomes.VerdictOutcome;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.LiveOutput;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.KillReason;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.Note;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;
import dev.controlroom.orchestrator.steps.AdoptAbandonedRuns;
import dev.controlroom.orchestrator.steps.BeatHeartbeat;
import dev.controlroom.orchestrator.steps.BeginRun;
import dev.controlroom.orchestrator.steps.PromoteDueRetries;
import dev.controlroom.orchestrator.steps.StartReadyTasks;
import dev.controlroom.orchestrator.steps.WatchSessions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The run controls of every door (window, command line, tray, API). Each control is a command
 * posted to the engine's one decision thread ({@link EngineLoop}); the decisions themselves live in
 * small steps and outcomes, and only {@link Transitions} changes a task's, run's or session's state.
 *
 * <p>Event-driven: a session's exit is handled the moment it happens, and the tasks it unblocks
 * start in the same step. The periodic tick only looks after the watchdog, due retries and heartbeats.
 */
public final class Orchestrator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Orchestrator.class.getName());
    private final RunLedger ledger;
    private final AgentRuntime runtime;
    private final EngineConfig config;
    private final EngineState state;
    private final EngineLoop loop;
    private final Transitions transitions;
    private final BeginRun begin;
    private final AdoptAbandonedRuns adoption;
    private final RunCommands runs;
    private final TaskCommands tasks;
    private final VerdictOutcome verdicts;
    private final StartReadyTasks starts;
    private final ScheduledFuture<?> ticker;

    /**
     * @param loop     the single thread every decision runs on
     * @param blocking where slow work that must not hold the loop goes (git, spawning, killing process trees)
     */
    public Orchestrator(RunLedger ledger, Clock clock, AgentRuntime runtime, EngineConfig config, ScheduledExecutorService loop,
                        Executor blocking) {
        this.ledger = ledger;
        this.runtime = runtime;
        this.config = config;
        long pid = ProcessHandle.current().pid();
        this.state = new EngineState(config.profileCaps());
        this.loop = new EngineLoop(loop, blocking, ledger, state);
        this.transitions = new Transitions(state, clock);
        RunProgress progress = new RunProgress(transitions);
        SessionLauncher launcher = new SessionLauncher(runtime, config, this.loop, transitions, progress, clock);
        this.starts = new StartReadyTasks(state, ledger, this.loop, launcher, progress, clock);
        PromoteDueRetries retries = new PromoteDueRetries(state, this.loop, transitions, starts, clock);
        AttemptOutcome attempts = new AttemptOutcome(transitions, progress, retries,
                new RetryPolicy(config.retryBackoff(), config.maxRetryBackoff()), config.rateLimitWait(), clock);
        this.verdicts = new VerdictOutcome(transitions, attempts, launcher, starts, clock);
        ExitOutcome exits = new ExitOutcome(runtime, this.loop, transitions, progress, attempts, verdicts, starts, config);
        WatchSessions watchdog = new WatchSessions(state, this.loop, launcher, progress, config, clock);
        SignalOutcome signals = new SignalOutcome(this.loop, watchdog, config, clock);
        launcher.listen(new SessionListener() {
            @Override
            public void onSignal(RunModel run, TaskNode node, LiveSession live, AgentRuntime.Signal signal) {
                signals.onSignal(run, node, live, signal);
            }

            @Override
            public void onExit(RunModel run, TaskNode node, LiveSession live, dev.controlroom.orchestrator.launch.Exit exit) {
                exits.onExit(run, node, live, exit);
            }
        });
        this.begin = new BeginRun(state, ledger, this.loop, starts, clock, config.defaultWorkDir(), pid, config.noOutputLimit());
        this.adoption = new AdoptAbandonedRuns(state, ledger, this.loop, runtime, transitions, progress, starts, retries, config, clock, pid);
        Sessions sessions = new Sessions(launcher, exits);
        this.runs = new RunCommands(state, ledger, this.loop, transitions, progress, sessions, starts, adoption);
        this.tasks = new TaskCommands(state, ledger, this.loop, transitions, progress, runs, sessions, launcher, starts, adoption);
        BeatHeartbeat heartbeat = new BeatHeartbeat(state, ledger, this.loop, clock);
        // The only periodic work: the watchdog, retries whose time came, and the owner's heartbeat.
        this.ticker = this.loop.every(config.tick(), "tick", () -> {
            watchdog.run();
            retries.run();
            heartbeat.run();
        });
    }

    /** Hears every stored event, in order, on the loop thread: keep it quick. */
    public void addListener(Consumer<List<Event>> listener) {
        loop.addListener(listener);
    }

    /**
     * Stores an event that happened beside the engine (a person merged or discarded a task's work)
     * and tells the listeners, in order with the engine's own events.
     */
    public CompletableFuture<Void> record(Event event) {
        // Not a decision: a failed write fails this call only and holds no run.
        return loop.run(() -> loop.announce(List.of(ledger.append(event))));
    }

    /** Starts a run of a task list; the id it returns is the run's one id everywhere after. */
    public CompletableFuture<String> start(long planId, RunOptions options) {
        return loop.call(() -> begin.begin(planId, options));
    }

    /** Completes when the run has finished (succeeded, failed or cancelled). */
    public CompletableFuture<RunSummary> finished(String runId) {
        return loop.call(() -> {
            Optional<RunModel> run = state.run(runId);
            if (run.isPresent()) {
                return run.get().finished();
            }
            RunSummary stored = ledger.run(runId).orElseThrow(() -> new ControlException("no run with id " + runId));
            if (!stored.state().isFinished()) {
                throw new ControlException("run " + runId + " is " + stored.state().id() + " and not run by this process; resume it first");
            }
            return CompletableFuture.completedFuture(stored);
        }).thenCompose(f -> f);
    }

    public CompletableFuture<Void> pause(String runId) {
        return loop.run(() -> runs.pause(runId));
    }

    public CompletableFuture<Void> resume(String runId) {
        return loop.run(() -> runs.resume(runId));
    }

    /** Ends the running sessions now and holds the run; {@link #resume} continues it. */
    public CompletableFuture<Void> stop(String runId) {
        return loop.run(() -> runs.stop(runId));
    }

    /** Ends the run for good: sessions ended, unfinished tasks cancelled. */
    public CompletableFuture<Void> cancel(String runId) {
        return loop.run(() -> runs.cancel(runId));
    }

    /** Gives a failed, blocked-by-decision or cancelled task a fresh attempt budget and queues it; a failed run is reopened for it. */
    public CompletableFuture<Void> retryTask(String runId, String taskKey) {
        return loop.run(() -> tasks.retry(runId, taskKey));
    }

    /** Marks a task done without running it; its dependents proceed. */
    public CompletableFuture<Void> skipTask(String runId, String taskKey) {
        return loop.run(() -> tasks.skip(runId, taskKey));
    }

    public CompletableFuture<Void> cancelTask(String runId, String taskKey) {
        return loop.run(() -> tasks.cancel(runId, taskKey));
    }

    /** Points a task at another agent; a running session of it is ended and the task queued again. */
    public CompletableFuture<Void> reassignTask(String runId, String taskKey, String agentName) {
        return loop.run(() -> tasks.reassign(runId, taskKey, agentName));
    }

    /**
     * Ends one session's process (and everything it started) now. The attempt counts as failed, so
     * the task is retried while its attempt budget lasts, like any other failed attempt.
     */
    public CompletableFuture<Void> terminateSession(String sessionId) {
        return loop.run(() -> tasks.terminate(sessionId));
    }

    /**
     * Adds a sub-task under a task still at work in a live run: stored with its parent, ready at once in
     * the same run, scheduled like any other task. Completes with the new task's id.
     */
    public CompletableFuture<Long> addSubTask(String runId, String parentKey, dev.controlroom.domain.TaskSpec spec) {
        return loop.call(() -> tasks.addSubTask(runId, parentKey, spec));
    }

    /** A person's answer to the agent's question continues that exact session. */
    public CompletableFuture<Void> answer(String runId, String taskKey, String text) {
        return loop.run(() -> tasks.answer(runId, taskKey, text));
    }

    /** Types keys (text or escape sequences) into a running session's terminal, as a person at it would. */
    public CompletableFuture<Void> typeInto(String sessionId, String text) {
        return loop.run(() -> tasks.typeInto(sessionId, text));
    }

    /** Whether a session has a process this engine runs, so keys typed into it arrive. */
    public CompletableFuture<Boolean> isRunning(String sessionId) {
        return loop.call(() -> tasks.isRunning(sessionId));
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
        return loop.call(() -> {
            RunSummary summary = ledger.run(runId).orElseThrow(() -> new ControlException("no run with id " + runId));
            StoredTask task = ledger.tasksOf(summary.planId()).stream().filter(t -> t.key().equals(taskKey)).findFirst()
                    .orElseThrow(() -> new ControlException("run " + runId + " has no task '" + taskKey + "'"));
            if (task.spec().verify().isEmpty()) {
                throw new ControlException("task " + taskKey + " has no verify commands");
            }
            if (state.run(runId).flatMap(r -> r.task(taskKey)).flatMap(TaskNode::live).isPresent()) {
                throw new ControlException("task " + taskKey + " is running; its verification runs when its iteration ends");
            }
            SessionRecord session = ledger.sessions(runId).stream().filter(x -> x.taskId() == task.id()).reduce((a, b) -> b)
                    .orElseThrow(() -> new ControlException("task " + taskKey + " has not run in run " + runId + "; there is nothing to verify"));
            int next = ledger.iterations(session.id()).stream().mapToInt(IterationRecord::number).max().orElse(0) + 1;
            return new Target(task, session, next);
        }).thenCompose(target -> runtime.verify(target.task().spec().verify(), Path.of(target.session().workingDir()),
                        SessionEnvironment.ids(runId, taskKey, target.session().id()), target.task().spec().timeout().orElse(Duration.ofMinutes(30)))
                .handle((checks, error) -> new VerdictOutcome.Verdict(checks == null ? List.of() : checks, Optional.ofNullable(error), Optional.empty()))
                .thenCompose(verdict -> loop.call(() -> {
                    Changes c = new Changes();
                    verdicts.record(c, new VerdictOutcome.Recorded(runId, target.task().id(), taskKey, target.session().id(),
                            target.iteration(), true), verdict);
                    loop.commit(c);
                    return verdict.passed();
                })));
    }

    /**
     * Watches a session's raw output as it is printed (for terminal views); see {@link LiveOutput#subscribe}.
     * Safe from any thread: it does not go through the loop, so a busy engine never delays a view.
     */
    public LiveOutput.Subscription watchOutput(String sessionId, long fromOffset, LiveOutput.Listener listener) {
        return runtime.liveOutput().subscribe(sessionId, fromOffset, listener);
    }

    /** The roster changed (hire, fire, edit): re-read it before the next assignment. */
    public void rosterChanged() {
        loop.post(() -> {
            state.rosterChanged();
            starts.run();
        });
    }

    /** Resumes every unfinished run whose owner process is gone (after a crash or a restart). */
    public CompletableFuture<List<String>> resumeAbandoned() {
        return loop.call(adoption::run);
    }

    /** The ids of the runs this process runs now. */
    public CompletableFuture<List<String>> activeRuns() {
        return loop.call(state::runIds);
    }

    /**
     * Ends every session of the runs this process owns and leaves the runs interrupted, so that the
     * next start (or {@code resume}) continues them. Blocks until done or {@code limit} passes. The
     * process trees are killed beside the loop, all at once, and waited for here.
     */
    public void shutdown(Duration limit) {
        CompletableFuture<List<AgentRuntime.Process>> stopped = loop.call(this::interruptEverything);
        try {
            List<AgentRuntime.Process> processes = stopped.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(processes.stream()
                    .map(p -> CompletableFuture.runAsync(() -> p.kill(config.killGrace()), loop::offLoop)).toArray(CompletableFuture[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "shutting the orchestrator down did not finish cleanly", e);
        }
        ticker.cancel(false);
    }

    /** On the loop: every owned run stored as interrupted, its tasks queued again; returns the processes to end. */
    private List<AgentRuntime.Process> interruptEverything() {
        List<AgentRuntime.Process> processes = new ArrayList<>();
        for (RunModel run : state.runs()) {
            Changes c = new Changes();
            for (TaskNode t : run.tasks()) {
                if (t.live().isEmpty()) {
                    continue;
                }
                LiveSession live = t.live().get();
                live.markKilled(KillReason.STOPPED);
                live.process().filter(p -> live.phase() == dev.controlroom.orchestrator.state.SessionPhase.RUNNING).ifPresent(processes::add);
                transitions.endSession(c, run, t, live, Optional.empty(), "Control Room was closed", Optional.empty());
                transitions.moveTask(c, run, t, TaskState.READY, Optional.of("Control Room was closed; queued again"), Note.QUIET);
            }
            if (run.state().canMoveTo(RunState.INTERRUPTED)) {
                transitions.moveRun(c, run, RunState.INTERRUPTED, Optional.of("Control Room was closed"), Note.of(EventType.RUN_INTERRUPTED,
                        Severity.WARNING, "run interrupted: Control Room was closed; it continues at the next start or with resume"));
            }
            loop.commit(c);
            state.release(run);
            run.finished().completeExceptionally(new ControlException("run " + run.id() + " was interrupted: Control Room was closed"));
        }
        return processes;
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(15));
    }
}
