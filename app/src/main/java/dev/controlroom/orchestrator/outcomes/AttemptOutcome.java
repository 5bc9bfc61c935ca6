package dev.controlroom.orchestrator.outcomes;

import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Durations;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.port.RunLedger.IterationEnd;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.Note;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;
import dev.controlroom.orchestrator.steps.PromoteDueRetries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How an attempt ends for its task: succeeded, failed (retried while attempts last), given up, or parked on a rate limit. */
public final class AttemptOutcome {
    private final Transitions transitions;
    private final RunProgress progress;
    private final PromoteDueRetries retries;
    private final RetryPolicy policy;
    private final Duration rateLimitWait;
    private final Clock clock;

    public AttemptOutcome(Transitions transitions, RunProgress progress, PromoteDueRetries retries, RetryPolicy policy,
                          Duration rateLimitWait, Clock clock) {
        this.transitions = transitions;
        this.progress = progress;
        this.retries = retries;
        this.policy = policy;
        this.rateLimitWait = rateLimitWait;
        this.clock = clock;
    }

    public void succeed(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit) {
        transitions.endSession(c, run, node, live, exit, "succeeded", Optional.of(true));
        transitions.moveTask(c, run, node, TaskState.SUCCEEDED, Optional.empty(), Note.of(EventType.TASK_SUCCEEDED, Severity.INFO,
                "task " + node.key() + " succeeded in " + Durations.human(Duration.between(live.startedAt(), clock.instant()))
                        + (live.iteration() > 1 ? " after " + live.iteration() + " iterations" : "")));
        progress.promoteDependents(c, run, node);
    }

    /** The attempt failed: the task waits for its next one while attempts last, else it is given up. */
    public void failed(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit, String reason) {
        int number = live.iteration();
        c.op(tx -> tx.finishIteration(live.sessionId(), number, IterationEnd.ERROR, Optional.of(reason), Optional.empty(), Optional.empty()));
        transitions.endSession(c, run, node, live, exit, reason, Optional.of(false));
        TaskSpec spec = node.task().spec();
        if (node.attempts() >= spec.maxAttempts()) {
            giveUp(c, run, node, reason);
            return;
        }
        Duration wait = policy.backoff(node.attempts());
        Instant at = clock.instant().plus(wait);
        transitions.retryWait(c, run, node, at, reason, Note.QUIET);
        c.event(Event.draft(EventType.TASK_RETRY_SCHEDULED, Severity.WARNING, "task " + node.key() + " attempt " + node.attempts()
                        + " failed (" + reason + "); attempt " + (node.attempts() + 1) + " in " + Durations.human(wait))
                .withRun(run.id()).withTask(node.id()).withSession(live.sessionId()));
        retries.at(run, at);
    }

    /** The watchdog's policy says a person decides: the task waits for a retry, a skip or a cancel; the run goes on. */
    public void askPerson(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit, String reason) {
        int number = live.iteration();
        c.op(tx -> tx.finishIteration(live.sessionId(), number, IterationEnd.ERROR, Optional.of(reason), Optional.empty(), Optional.empty()));
        transitions.endSession(c, run, node, live, exit, reason, Optional.of(false));
        transitions.moveTask(c, run, node, TaskState.NEEDS_DECISION, Optional.of(reason), Note.of(EventType.TASK_NEEDS_DECISION,
                Severity.WARNING, "task " + node.key() + " waits for a person (" + reason + "): retry, skip or cancel it"));
    }

    /** Out of attempts: a critical task waits for a person's decision, any other fails and blocks its dependents. */
    public void giveUp(Changes c, RunModel run, TaskNode node, String reason) {
        if (node.task().spec().critical()) {
            transitions.moveTask(c, run, node, TaskState.NEEDS_DECISION, Optional.of(reason), Note.of(EventType.TASK_NEEDS_DECISION,
                    Severity.CRITICAL, "critical task " + node.key() + " failed (" + reason
                            + "): the run is paused until a person retries, skips or cancels it"));
            if (run.state() == RunState.RUNNING) {
                transitions.moveRun(c, run, RunState.PAUSED, Optional.of("critical task " + node.key() + " failed"),
                        Note.of(EventType.RUN_PAUSED, Severity.CRITICAL, "run paused: critical task " + node.key() + " failed"));
            }
        } else {
            transitions.moveTask(c, run, node, TaskState.FAILED, Optional.of(reason), Note.of(EventType.TASK_FAILED, Severity.ERROR,
                    "task " + node.key() + " failed after " + node.attempts() + " attempt(s): " + reason));
            progress.blockDependents(c, run, node);
        }
    }

    /** A rate-limited task waits for the limit to reset, then is queued again and continues its agent session. */
    public void park(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit) {
        Instant now = clock.instant();
        Instant until = live.turn().rateLimitedUntil().filter(t -> t.isAfter(now)).orElse(now.plus(rateLimitWait));
        transitions.endSession(c, run, node, live, exit, "rate limited until " + until, Optional.empty());
        transitions.park(c, run, node, until, "rate limited until " + until, Note.QUIET);
        c.op(tx -> tx.agentStatus(live.agentId(), AgentStatus.RATE_LIMITED));
        c.event(Event.draft(EventType.TASK_PARKED, Severity.WARNING, "task " + node.key() + " parked until " + until + " (rate limited)")
                .withRun(run.id()).withTask(node.id()).withAgent(live.agentId()).withSession(live.sessionId()));
        retries.at(run, until);
    }
}
