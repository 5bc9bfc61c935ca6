package dev.controlroom.orchestrator.steps;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.ControlException;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.Note;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Takes over runs stored by this or an earlier process (after a crash, a restart, a retry of a failed run) and continues them from what is stored. */
public final class AdoptAbandonedRuns {
    private final EngineState state;
    private final RunLedger ledger;
    private final EngineLoop loop;
    private final AgentRuntime runtime;
    private final Transitions transitions;
    private final RunProgress progress;
    private final StartReadyTasks starts;
    private final PromoteDueRetries retries;
    private final EngineConfig config;
    private final Clock clock;
    private final long pid;

    public AdoptAbandonedRuns(EngineState state, RunLedger ledger, EngineLoop loop, AgentRuntime runtime, Transitions transitions,
                              RunProgress progress, StartReadyTasks starts, PromoteDueRetries retries, EngineConfig config, Clock clock,
                              long pid) {
        this.state = state;
        this.ledger = ledger;
        this.loop = loop;
        this.runtime = runtime;
        this.transitions = transitions;
        this.progress = progress;
        this.starts = starts;
        this.retries = retries;
        this.config = config;
        this.clock = clock;
        this.pid = pid;
    }

    /** Every unfinished run whose owner process is gone (and that a person did not pause). */
    public List<String> run() {
        List<String> resumed = new ArrayList<>();
        for (RunSummary s : ledger.unfinishedRuns()) {
            if (!state.owns(s.id()) && !ownerAlive(s) && s.state() != RunState.PAUSED) {
                adopt(s.id());
                resumed.add(s.id());
            }
        }
        return resumed;
    }

    /** Whether another live process still runs the run (same pid and a recent heartbeat), or this one does. */
    public boolean ownerAlive(RunSummary s) {
        Optional<Long> owner = s.ownerPid();
        if (owner.isEmpty()) {
            return false;
        }
        if (owner.get() == pid) {
            return state.owns(s.id());
        }
        boolean alive = ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false);
        Optional<Instant> beat = ledger.heartbeat(s.id());
        return alive && beat.map(b -> Duration.between(b, clock.instant()).compareTo(BeatHeartbeat.OWNER_SILENCE) < 0).orElse(false);
    }

    public void adopt(String runId) {
        RunSummary s = ledger.run(runId).orElseThrow(() -> new ControlException("no run with id " + runId));
        if (s.state().isFinished() && s.state() != RunState.FAILED) {
            throw new ControlException("run " + runId + " has already finished (" + s.state().id() + ")");
        }
        if (ownerAlive(s) && s.ownerPid().orElse(-1L) != pid) {
            throw new ControlException("run " + runId + " is being run by process " + s.ownerPid().orElseThrow() + "; stop it there first");
        }
        PlanSummary plan = ledger.plan(s.planId()).orElseThrow();
        Map<Long, RunTask> stateOf = new HashMap<>();
        List<RunTask> states = ledger.runTasks(runId);
        states.forEach(rt -> stateOf.put(rt.taskId(), rt));
        // Processes of the old owner: end them before anything else is decided.
        List<SessionRecord> allSessions = ledger.sessions(runId);
        List<SessionRecord> open = allSessions.stream().filter(SessionRecord::isOpen).toList();
        Map<String, Boolean> orphanKilled = new HashMap<>();
        for (SessionRecord session : open) {
            orphanKilled.put(session.id(), session.pid().map(p -> runtime.endOrphan(p, session.processStart(), config.killGrace())).orElse(false));
        }
        // What those processes started and detached (nohup, setsid) carries the run's id: it ends too.
        runtime.endLeftovers(runId, config.killGrace());
        int waves = states.stream().mapToInt(RunTask::wave).max().orElse(0) + 1;
        RunModel run = new RunModel(runId, s.waveMode(), s.concurrency(), BeginRun.baseDir(plan, config.defaultWorkDir()),
                s.state(), waves);
        run.watch(dev.controlroom.orchestrator.state.WatchRules.of(plan.watchdog(),
                ledger.settings(dev.controlroom.orchestrator.state.WatchRules.SETTINGS_PREFIX), config.noOutputLimit()));
        for (StoredTask t : ledger.tasksOf(s.planId())) {
            RunTask rt = stateOf.get(t.id());
            int sessions = (int) allSessions.stream().filter(x -> x.taskId() == t.id()).count();
            run.restore(t, rt.wave(), rt.state(), rt.attempts(), rt.readyAt().orElse(Instant.EPOCH), rt.nextAttemptAt(),
                    rt.agentId().filter(a -> rt.state() != TaskState.RUNNING), sessions);
        }
        run.link(clock.instant());
        Changes c = new Changes();
        Transitions.restorePause(run, s.pauseReason());
        if (s.state() == RunState.RUNNING || s.state() == RunState.STOPPING) {
            transitions.moveRun(c, run, RunState.INTERRUPTED, Optional.of("its process ended"), Note.QUIET);
        }
        c.op(tx -> tx.takeOwnership(runId, pid));
        // A run waiting for a person's decision on a critical task stays paused until that decision.
        RunState target = run.anyTaskIn(TaskState.NEEDS_DECISION) ? RunState.PAUSED : RunState.RUNNING;
        transitions.moveRun(c, run, target, Optional.empty(), Note.of(EventType.RUN_RESUMED, Severity.INFO, "run resumed by process " + pid
                + (open.isEmpty() ? "" : "; " + open.size() + " interrupted session(s) reconciled")));
        for (SessionRecord session : open) {
            boolean killed = orphanKilled.get(session.id());
            c.op(tx -> tx.endSession(session.id(), RunLedger.SessionEnd.INTERRUPTED, Optional.empty(),
                    killed ? "its process outlived Control Room and was ended" : "its process was gone"));
            c.event(Event.draft(killed ? EventType.ORPHAN_KILLED : EventType.SESSION_INTERRUPTED, Severity.WARNING,
                    (killed ? "ended orphan process " + session.pid().orElseThrow() + " of session " : "session ")
                            + session.id() + (killed ? "" : " was interrupted")).withRun(runId).withTask(session.taskId())
                    .withSession(session.id()));
            session.agentId().ifPresent(a -> c.op(tx -> tx.agentFinished(a, runId, session.taskId(), Optional.empty(), 0, false)));
        }
        for (TaskNode t : run.tasks()) {
            if (t.state() == TaskState.RUNNING) {
                if (t.attempts() >= t.task().spec().maxAttempts()) {
                    progress.failForGood(c, run, t, "interrupted, and its " + t.attempts() + " attempt(s) are used up");
                } else {
                    transitions.moveTask(c, run, t, TaskState.READY, Optional.of("interrupted; queued again"), Note.of(EventType.TASK_REQUEUED,
                            Severity.INFO, "task " + t.key() + " queued again after an interruption (attempt " + t.attempts() + " counted)"));
                }
            } else if (t.state() == TaskState.PENDING && run.mayStart(t)) {
                transitions.moveTask(c, run, t, TaskState.READY, Optional.empty(), Note.QUIET);
            }
        }
        state.own(run);
        progress.finishIfDone(c, run);
        loop.commit(c);
        retries.promote(run);
        starts.run();
    }
}
