package dev.controlroom.orchestrator.commands;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.ControlException;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.KillReason;
import dev.controlroom.orchestrator.state.Note;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;
import dev.controlroom.orchestrator.steps.AdoptAbandonedRuns;
import dev.controlroom.orchestrator.steps.StartReadyTasks;

import java.util.Optional;

/** A person's controls over a whole run: pause, resume, stop, cancel. Each runs on the loop. */
public final class RunCommands {
    private final EngineState state;
    private final RunLedger ledger;
    private final EngineLoop loop;
    private final Transitions transitions;
    private final RunProgress progress;
    private final Sessions sessions;
    private final StartReadyTasks starts;
    private final AdoptAbandonedRuns adoption;

    public RunCommands(EngineState state, RunLedger ledger, EngineLoop loop, Transitions transitions, RunProgress progress, Sessions sessions,
                       StartReadyTasks starts, AdoptAbandonedRuns adoption) {
        this.state = state;
        this.ledger = ledger;
        this.loop = loop;
        this.transitions = transitions;
        this.progress = progress;
        this.sessions = sessions;
        this.starts = starts;
        this.adoption = adoption;
    }

    /** The run this process owns, or why there is none to control. */
    public RunModel owned(String runId) {
        return state.run(runId).orElseThrow(() -> new ControlException(ledger.run(runId).map(s -> "run " + runId + " is " + s.state().id()
                + (s.state().isFinished() ? "" : " and not run by this process; resume it first")).orElse("no run with id " + runId)));
    }

    public static TaskNode task(RunModel run, String key) {
        return run.task(key).orElseThrow(() -> new ControlException("run " + run.id() + " has no task '" + key + "'"));
    }

    public void pause(String runId) {
        RunModel run = owned(runId);
        Changes c = new Changes();
        transitions.moveRun(c, run, RunState.PAUSED, Optional.of("paused by a person"), Note.of(EventType.RUN_PAUSED, Severity.INFO,
                "run paused: running sessions finish, no new ones start"));
        loop.commit(c);
    }

    public void resume(String runId) {
        Optional<RunModel> held = state.run(runId);
        if (held.isEmpty()) {
            adoption.adopt(runId);
            return;
        }
        RunModel run = held.get();
        if (run.state() == RunState.RUNNING) {
            return;
        }
        if (run.anyTaskIn(TaskState.NEEDS_DECISION)) {
            throw new ControlException("run " + runId + " waits for a decision on a failed critical task: retry, skip or cancel it");
        }
        Changes c = new Changes();
        transitions.moveRun(c, run, RunState.RUNNING, Optional.empty(), Note.of(EventType.RUN_RESUMED, Severity.INFO, "run resumed"));
        progress.finishIfDone(c, run);
        loop.commit(c);
        starts.run();
    }

    /** Ends the running sessions now and holds the run; resume continues it. */
    public void stop(String runId) {
        RunModel run = owned(runId);
        Changes c = new Changes();
        if (run.state() == RunState.RUNNING) {
            transitions.moveRun(c, run, RunState.PAUSED, Optional.of("stopped by a person"), Note.of(EventType.RUN_STOPPED, Severity.WARNING,
                    "run stopped: running sessions are ended and their tasks queued again"));
        } else if (run.state() != RunState.PAUSED) {
            throw new ControlException("run " + runId + " is " + run.state().id() + ", there is nothing to stop");
        }
        loop.commit(c);
        run.tasks().stream().filter(t -> t.live().isPresent()).forEach(t -> sessions.end(run, t, t.live().get(), KillReason.STOPPED));
    }

    /** Ends the run for good: sessions ended, unfinished tasks cancelled. */
    public void cancel(String runId) {
        RunModel run = owned(runId);
        Changes c = new Changes();
        for (TaskNode t : run.tasks()) {
            if (t.live().isEmpty() && !t.state().isTerminal() && t.state().canMoveTo(TaskState.CANCELLED)) {
                transitions.moveTask(c, run, t, TaskState.CANCELLED, Optional.of("the run was cancelled"), Note.QUIET);
            }
        }
        if (!run.hasLiveSessions()) {
            transitions.moveRun(c, run, RunState.CANCELLED, Optional.of("cancelled by a person"), Note.of(EventType.RUN_CANCELLED,
                    Severity.WARNING, "run cancelled"));
        } else {
            transitions.moveRun(c, run, RunState.STOPPING, Optional.of("cancelling"), Note.of(EventType.RUN_CANCELLING, Severity.WARNING,
                    "run cancelling: ending its sessions"));
        }
        loop.commit(c);
        run.tasks().stream().filter(t -> t.live().isPresent()).forEach(t -> sessions.end(run, t, t.live().get(), KillReason.CANCELLED));
        loop.releaseIfFinished(run);
    }
}
