package dev.controlroom.orchestrator.commands;

import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TaskControls;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.ControlException;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.orchestrator.state.AgentSlot;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.KillReason;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.Note;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.SessionPhase;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;
import dev.controlroom.orchestrator.steps.AdoptAbandonedRuns;
import dev.controlroom.orchestrator.steps.StartReadyTasks;

import java.io.IOException;
import java.util.Optional;

/**
 * A person's controls over one task or session: retry, skip, cancel, reassign, answer, terminate, type. Each runs on the loop;
 * what a task's state allows is {@link TaskControls}, the same rules the window shows.
 */
public final class TaskCommands {
    private final EngineState state;
    private final RunLedger ledger;
    private final EngineLoop loop;
    private final Transitions transitions;
    private final RunProgress progress;
    private final RunCommands runs;
    private final Sessions sessions;
    private final SessionLauncher launcher;
    private final StartReadyTasks starts;
    private final AdoptAbandonedRuns adoption;

    public TaskCommands(EngineState state, RunLedger ledger, EngineLoop loop, Transitions transitions, RunProgress progress, RunCommands runs,
                        Sessions sessions, SessionLauncher launcher, StartReadyTasks starts, AdoptAbandonedRuns adoption) {
        this.state = state;
        this.ledger = ledger;
        this.loop = loop;
        this.transitions = transitions;
        this.progress = progress;
        this.runs = runs;
        this.sessions = sessions;
        this.launcher = launcher;
        this.starts = starts;
        this.adoption = adoption;
    }

    /** A fresh attempt budget for a failed, blocked-by-decision or cancelled task; a failed run is reopened for it. */
    public void retry(String runId, String taskKey) {
        if (!state.owns(runId) && ledger.run(runId).map(s -> s.state() == RunState.FAILED).orElse(false)) {
            // A failed run is no longer held: take it up again, and keep it while the retry reopens it.
            state.reopening(Optional.of(runId));
            try {
                adoption.adopt(runId);
            } finally {
                state.reopening(Optional.empty());
            }
        }
        RunModel run = runs.owned(runId);
        TaskNode t = RunCommands.task(run, taskKey);
        if (!TaskControls.of(t.state()).retry()) {
            throw new ControlException("task " + taskKey + " is " + t.state().id() + "; only a failed or cancelled task can be retried");
        }
        Changes c = new Changes();
        transitions.resetAttempts(c, run, t);
        transitions.moveTask(c, run, t, TaskState.READY, Optional.of("retried by a person"), Note.of(EventType.TASK_RETRIED, Severity.INFO,
                "task " + taskKey + " retried"));
        progress.unblockDependents(c, run, t);
        progress.reopen(c, run);
        loop.commit(c);
        starts.run();
    }

    /** Marks a task done without running it; its dependents proceed. */
    public void skip(String runId, String taskKey) {
        RunModel run = runs.owned(runId);
        TaskNode t = RunCommands.task(run, taskKey);
        if (t.live().isPresent()) {
            sessions.end(run, t, t.live().get(), KillReason.SKIPPED);
            return;
        }
        if (!TaskControls.of(t.state()).skip()) {
            throw new ControlException("task " + taskKey + " is " + t.state().id() + " and cannot be skipped");
        }
        Changes c = new Changes();
        transitions.moveTask(c, run, t, TaskState.SKIPPED, Optional.of("skipped by a person"), Note.of(EventType.TASK_SKIPPED, Severity.INFO,
                "task " + taskKey + " skipped"));
        progress.unblockDependents(c, run, t);
        progress.promoteDependents(c, run, t);
        progress.reopen(c, run);
        progress.finishIfDone(c, run);
        loop.commit(c);
        starts.run();
    }

    public void cancel(String runId, String taskKey) {
        RunModel run = runs.owned(runId);
        TaskNode t = RunCommands.task(run, taskKey);
        if (t.live().isPresent()) {
            sessions.end(run, t, t.live().get(), KillReason.CANCELLED);
            return;
        }
        if (!TaskControls.of(t.state()).cancel()) {
            throw new ControlException("task " + taskKey + " is " + t.state().id() + " and cannot be cancelled");
        }
        Changes c = new Changes();
        transitions.moveTask(c, run, t, TaskState.CANCELLED, Optional.of("cancelled by a person"), Note.of(EventType.TASK_CANCELLED,
                Severity.WARNING, "task " + taskKey + " cancelled"));
        progress.blockDependents(c, run, t);
        progress.finishIfDone(c, run);
        loop.commit(c);
        starts.run();
    }

    /** Points a task at another agent; a running session of it is ended and the task queued again. */
    public void reassign(String runId, String taskKey, String agentName) {
        RunModel run = runs.owned(runId);
        TaskNode t = RunCommands.task(run, taskKey);
        state.refreshRoster(ledger);
        AgentSlot slot = state.agents().stream().filter(a -> a.agent().active() && a.agent().name().equals(agentName)).findFirst()
                .orElseThrow(() -> new ControlException("no active agent named '" + agentName + "'"));
        if (!TaskControls.of(t.state()).reassign()) {
            throw new ControlException("task " + taskKey + " is " + t.state().id() + "; there is nothing to reassign");
        }
        t.pinTo(slot.agent().id());
        Changes c = new Changes();
        c.op(tx -> tx.assign(run.id(), t.id(), slot.agent().id()));
        c.event(Event.draft(EventType.TASK_REASSIGNED, Severity.INFO, "task " + taskKey + " reassigned to " + agentName)
                .withRun(run.id()).withTask(t.id()).withAgent(slot.agent().id()));
        loop.commit(c);
        t.live().ifPresent(live -> sessions.end(run, t, live, KillReason.REASSIGNED));
        starts.run();
    }

    /** Ends one session's process now; the attempt counts as failed and is retried while attempts last. */
    public void terminate(String sessionId) {
        LiveSession live = state.liveSession(sessionId)
                .orElseThrow(() -> new ControlException("session " + sessionId + " is not running in this process"));
        if (live.phase() != SessionPhase.RUNNING) {
            throw new ControlException("session " + sessionId + " has no process running now (it waits or is being verified)");
        }
        launcher.kill(live, KillReason.TERMINATED);
    }

    /**
     * A sub-task asked for while its parent works (by the parent's agent, through a door): stored under
     * the parent in its task list and as a task of the same run, in the parent's wave (it is part of
     * that task's work), ready at once and scheduled like every other task. Returns its id.
     */
    public long addSubTask(String runId, String parentKey, TaskSpec spec) {
        RunModel run = runs.owned(runId);
        if (run.state() != RunState.RUNNING && run.state() != RunState.PAUSED) {
            throw new ControlException("run " + runId + " is " + run.state().id() + "; sub-tasks join a running or paused run");
        }
        TaskNode parent = RunCommands.task(run, parentKey);
        if (parent.state().isTerminal()) {
            throw new ControlException("task " + parentKey + " is " + parent.state().id() + "; sub-tasks join a task that is still at work");
        }
        if (run.task(spec.key()).isPresent()) {
            throw new ControlException("run " + runId + " already has a task '" + spec.key() + "'");
        }
        if (!spec.dependsOn().isEmpty()) {
            throw new ControlException("sub-task '" + spec.key() + "' names dependencies: a sub-task starts at once, beside its parent");
        }
        long[] id = new long[1];
        Changes c = new Changes();
        c.op(tx -> id[0] = tx.joinRun(run.id(), parent.id(), spec, parent.wave(), TaskState.READY));
        c.event(Event.draft(EventType.TASK_ADDED, Severity.INFO, "task " + spec.key() + " added to the run under " + parentKey)
                .withRun(run.id()).withTask(parent.id()).withPayload(java.util.Map.of("parent", parentKey, "key", spec.key())));
        if (!loop.commit(c)) {
            throw new ControlException("sub-task '" + spec.key() + "' could not be stored; run " + runId + " is held");
        }
        StoredTask task = ledger.tasksOf(parent.task().planId()).stream().filter(t -> t.id() == id[0]).findFirst()
                .orElseThrow(() -> new IllegalStateException("sub-task " + id[0] + " was stored but cannot be read back"));
        transitions.join(run, task, parent.wave());
        starts.run();
        return id[0];
    }

    /** A person's answer to the agent's question continues that exact session. */
    public void answer(String runId, String taskKey, String text) {
        RunModel run = runs.owned(runId);
        TaskNode node = RunCommands.task(run, taskKey);
        LiveSession live = node.live().filter(l -> l.turn().question().isPresent())
                .orElseThrow(() -> new ControlException("task " + taskKey + " has not asked anything"));
        if (live.phase() == SessionPhase.RUNNING) {
            // The agent waits at a prompt in its terminal: type the answer there.
            type(live, text + "\r", "task " + taskKey + "'s terminal");
            live.turn().answered();
            Changes c = new Changes();
            c.op(tx -> tx.agentStatus(live.agentId(), AgentStatus.BUSY));
            c.event(Event.draft(EventType.ANSWERED, Severity.INFO, "task " + taskKey + " answered in its terminal")
                    .withRun(run.id()).withTask(node.id()).withSession(live.sessionId()));
            loop.commit(c);
            return;
        }
        if (live.phase() != SessionPhase.AWAITING_ANSWER) {
            throw new ControlException("task " + taskKey + " is not waiting for an answer now (" + live.phase().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (!(live.work() instanceof AgentRuntime.Work.Prompt prompt)) {
            throw new ControlException("task " + taskKey + " is not an AI task");
        }
        boolean resume = launcher.canResume(prompt, live);
        transitions.answerIteration(live);
        Changes c = new Changes();
        c.event(Event.draft(EventType.ANSWERED, Severity.INFO, "task " + taskKey + " answered" + (resume ? "; session "
                + live.nativeId().orElseThrow() + " continues" : "")).withRun(run.id()).withTask(node.id()).withSession(live.sessionId()));
        launcher.continueWith(c, run, node, live, launcher.followUp(prompt, live, text, ""));
    }

    /** Types keys (text or escape sequences) into a running session's terminal, as a person at it would. */
    public void typeInto(String sessionId, String text) {
        LiveSession live = state.liveSession(sessionId).filter(l -> l.phase() == SessionPhase.RUNNING)
                .orElseThrow(() -> new ControlException("session " + sessionId + " is not running"));
        type(live, text, "session " + sessionId);
    }

    public boolean isRunning(String sessionId) {
        return state.liveSession(sessionId).filter(l -> l.phase() == SessionPhase.RUNNING).isPresent();
    }

    private static void type(LiveSession live, String text, String where) {
        try {
            live.process().orElseThrow().type(text);
        } catch (IOException e) {
            throw new ControlException("cannot type into " + where + ": " + e.getMessage());
        }
    }
}
