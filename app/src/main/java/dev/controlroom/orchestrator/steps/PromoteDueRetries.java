package dev.controlroom.orchestrator.steps;

import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.Note;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Tasks waiting for their next attempt or for a rate limit to reset become ready when their time comes. */
public final class PromoteDueRetries {
    private final EngineState state;
    private final EngineLoop loop;
    private final Transitions transitions;
    private final StartReadyTasks starts;
    private final Clock clock;

    public PromoteDueRetries(EngineState state, EngineLoop loop, Transitions transitions, StartReadyTasks starts, Clock clock) {
        this.state = state;
        this.loop = loop;
        this.transitions = transitions;
        this.starts = starts;
        this.clock = clock;
    }

    /** Every owned run: the periodic check. */
    public void run() {
        state.runs().forEach(this::promote);
    }

    /** One run, when one of its tasks' waits ends (a timer set when it began) or now. */
    public void promote(RunModel run) {
        if (!state.owns(run.id())) {
            return;
        }
        Instant now = clock.instant();
        Changes c = new Changes();
        for (TaskNode t : run.tasks()) {
            if ((t.state() == TaskState.RETRY_WAIT || t.state() == TaskState.PARKED)
                    && t.nextAttemptAt().map(at -> !at.isAfter(now)).orElse(true)) {
                transitions.moveTask(c, run, t, TaskState.READY, Optional.empty(), Note.QUIET);
            }
        }
        if (!c.isEmpty() && loop.commit(c)) {
            starts.run();
        }
    }

    /** Promotes the run's due tasks once {@code at} has come. */
    public void at(RunModel run, Instant at) {
        loop.after(java.time.Duration.between(clock.instant(), at), () -> promote(run));
    }
}
