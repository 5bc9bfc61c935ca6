package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.RunLedger.SessionEnd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The only writer of task, run and session state. Every move goes through the tables of
 * {@link TaskState}, {@link RunState} and {@link SessionPhase}, which reject illegal moves, and
 * adds the stored change (and its event, unless quiet) to the decision being made.
 */
public final class Transitions {
    private final EngineState state;
    private final Clock clock;

    public Transitions(EngineState state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** A task that joins the live run (a sub-task, stored by the same decision): ready at once, in {@code wave}. */
    public TaskNode join(RunModel run, dev.controlroom.domain.StoredTask task, int wave) {
        TaskNode n = run.add(task, wave, TaskState.READY, 0);
        n.readyAt = clock.instant();
        run.ready.add(n);
        return n;
    }

    public void moveTask(Changes c, RunModel run, TaskNode n, TaskState to, Optional<String> reason, Note note) {
        TaskState from = n.state;
        bookkeep(run, n, from, to);
        c.op(tx -> tx.moveTask(run.id(), n.id(), from, to, reason));
        announceTask(c, run, n, from, to, note);
    }

    /** A failed attempt waits for its next one. */
    public void retryWait(Changes c, RunModel run, TaskNode n, Instant at, String reason, Note note) {
        TaskState from = n.state;
        bookkeep(run, n, from, TaskState.RETRY_WAIT);
        n.nextAttemptAt = Optional.of(at);
        c.op(tx -> tx.scheduleRetry(run.id(), n.id(), at, reason));
        announceTask(c, run, n, from, TaskState.RETRY_WAIT, note);
    }

    /** A rate-limited task waits for the limit to reset; the provider's refusal is not a failed attempt. */
    public void park(Changes c, RunModel run, TaskNode n, Instant until, String reason, Note note) {
        TaskState from = n.state;
        bookkeep(run, n, from, TaskState.PARKED);
        n.attempts--;
        n.nextAttemptAt = Optional.of(until);
        c.op(tx -> tx.park(run.id(), n.id(), until, reason));
        announceTask(c, run, n, from, TaskState.PARKED, note);
    }

    /** A person's retry gives the task a fresh attempt budget. */
    public void resetAttempts(Changes c, RunModel run, TaskNode n) {
        n.attempts = 0;
        c.op(tx -> tx.resetAttempts(run.id(), n.id()));
    }

    /** Another iteration of the same session counts as an attempt. */
    public void countIteration(Changes c, RunModel run, TaskNode n, LiveSession live) {
        n.attempts++;
        int attempts = n.attempts;
        c.op(tx -> tx.countAttempt(run.id(), n.id(), attempts));
        live.iteration++;
    }

    /** An answer continues the session in a new iteration without counting an attempt. */
    public void answerIteration(LiveSession live) {
        live.iteration++;
    }

    private void bookkeep(RunModel run, TaskNode n, TaskState from, TaskState to) {
        from.moveTo(to);
        if (from == TaskState.READY) {
            run.ready.remove(n);
        }
        n.state = to;
        if (to == TaskState.READY) {
            n.readyAt = clock.instant();
            n.nextAttemptAt = Optional.empty();
            run.ready.add(n);
        }
        if (!from.isTerminal() && to.isTerminal()) {
            run.waveDone[n.wave()]++;
        } else if (from.isTerminal() && !to.isTerminal()) {
            run.waveDone[n.wave()]--;
            run.waveAnnounced[n.wave()] = false;
        }
    }

    private static void announceTask(Changes c, RunModel run, TaskNode n, TaskState from, TaskState to, Note note) {
        if (note instanceof Note.Said said) {
            c.event(Event.draft(said.type(), said.severity(), said.message()).withRun(run.id()).withTask(n.id())
                    .withPayload(Map.of("from", from.id(), "to", to.id())));
        }
    }

    public void moveRun(Changes c, RunModel run, RunState to, Optional<String> reason, Note note) {
        RunState from = run.state;
        if (from == to) {
            return;
        }
        run.state = from.moveTo(to);
        run.pauseReason = reason;
        c.op(tx -> tx.moveRun(run.id(), from, to, reason));
        if (note instanceof Note.Said said) {
            c.event(Event.draft(said.type(), said.severity(), said.message()).withRun(run.id())
                    .withPayload(Map.of("from", from.id(), "to", to.id())));
        }
    }

    /** A run whose decision could not be stored: held in memory as interrupted; the database keeps its last stored state. */
    public static void halt(RunModel run) {
        run.state = RunState.INTERRUPTED;
    }

    /** A stored run's pause reason, as it is taken up again. */
    public static void restorePause(RunModel run, Optional<String> reason) {
        run.pauseReason = reason;
    }

    /** Numbers the task's next session. */
    public int nextSessionNumber(TaskNode n) {
        return ++n.sessions;
    }

    /** A ready task starts a session on an agent: the session is stored before its process exists. */
    public void startSession(Changes c, RunModel run, TaskNode n, AgentSlot slot, LiveSession live, Optional<String> branch,
                             String shownCommand) {
        TaskState from = n.state;
        run.ready.remove(n);
        n.state = from.moveTo(TaskState.RUNNING);
        n.attempts++;
        n.live = Optional.of(live);
        run.running++;
        slot.running++;
        slot.lastDir = Optional.of(live.workingDir());
        slot.lastBranch = branch;
        slot.lastActive = Optional.of(live.startedAt());
        state.runningPerProfile.merge(live.profile(), 1, Integer::sum);
        int attempt = n.attempts;
        c.op(tx -> tx.startSession(live.sessionId(), run.id(), n.id(), slot.agent.id(), attempt, live.workingDir(), branch,
                shownCommand, from));
    }

    /** The session's next process is about to be made (its first, the next iteration, after an answer). */
    public void relaunch(LiveSession live, AgentRuntime.Work work) {
        if (live.phase != SessionPhase.STARTING) {
            live.phase = live.phase.moveTo(SessionPhase.STARTING);
        }
        live.process = Optional.empty();
        live.work = work;
        live.newTurn();
    }

    public void attach(LiveSession live, AgentRuntime.Process process) {
        live.phase = live.phase.moveTo(SessionPhase.RUNNING);
        live.process = Optional.of(process);
    }

    public void verifying(LiveSession live) {
        live.phase = live.phase.moveTo(SessionPhase.VERIFYING);
    }

    public void awaitingAnswer(LiveSession live) {
        live.phase = live.phase.moveTo(SessionPhase.AWAITING_ANSWER);
    }

    /** Ends the session: frees the agent's slot and records how and why it ended. */
    public void endSession(Changes c, RunModel run, TaskNode n, LiveSession live, Optional<Integer> exit, String reason,
                           Optional<Boolean> outcome) {
        SessionEnd status = live.killed().map(k -> k.requeues() ? SessionEnd.INTERRUPTED : SessionEnd.KILLED)
                .orElse(live.phase == SessionPhase.STARTING && exit.isEmpty() ? SessionEnd.FAILED_TO_START : SessionEnd.EXITED);
        live.phase = live.phase.moveTo(SessionPhase.ENDED);
        n.live = Optional.empty();
        run.running--;
        state.runningPerProfile.merge(live.profile(), -1, Integer::sum);
        Instant now = clock.instant();
        boolean stillBusy = state.agent(live.agentId()).map(slot -> {
            slot.running--;
            slot.lastActive = Optional.of(now);
            return slot.running > 0;
        }).orElse(false);
        // The session row keeps how it ended; the task's own event says what that meant.
        c.op(tx -> tx.endSession(live.sessionId(), status, exit, reason));
        long duration = Duration.between(live.startedAt(), now).toMillis();
        c.op(tx -> tx.agentFinished(live.agentId(), run.id(), n.id(), outcome, duration, stillBusy));
    }
}
