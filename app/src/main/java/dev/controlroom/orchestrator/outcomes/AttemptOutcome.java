package dev.controlroom.orchestrator.outcomes;

import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Durations;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.FailureClass;
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
        node.providerAnswered();
        transitions.endSession(c, run, node, live, exit, "succeeded", Optional.of(true));
        transitions.moveTask(c, run, node, TaskState.SUCCEEDED, Optional.empty(), Note.of(EventType.TASK_SUCCEEDED, Severity.INFO,
                "task " + node.key() + " succeeded in " + Durations.human(Duration.between(live.startedAt(), clock.instant()))
                        + (live.iteration() > 1 ? " after " + live.iteration() + " iterations" : "")));
        progress.promoteDependents(c, run, node);
    }

    /** The attempt failed on the agent's side (a non-zero exit, a failed turn). */
    public void failed(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit, String reason) {
        failed(c, run, node, live, exit, reason, FailureClass.AGENT);
    }

    /**
     * The attempt failed: the task waits for its next one while attempts last, else it is given up.
     * A failure no retry can mend (a refused key, a refused request) is given up at once.
     */
    public void failed(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit, String reason, FailureClass cls) {
        int number = live.iteration();
        c.op(tx -> tx.finishIteration(live.sessionId(), number, IterationEnd.ERROR, Optional.of(reason), Optional.empty(), Optional.empty()));
        transitions.endSession(c, run, node, live, exit, reason, Optional.of(false));
        c.op(tx -> tx.failureClass(run.id(), node.id(), cls.id()));
        node.failedBecause(reason);
        TaskSpec spec = node.task().spec();
        if (!cls.retryable()) {
            giveUp(c, run, node, reason + switch (cls) {
                case AUTH -> " (authentication failed: not retried; fix the agent's API key or login, then retry the task)";
                case NEEDS_INPUT -> " (not retried: it would ask again; answer it from the window, or put the answer in the prompt)";
                default -> " (the provider refused the request: not retried blindly; change the task or the agent, then retry it)";
            });
            return;
        }
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

    /** Waits for an overloaded provider at most this often in a row before the attempt counts as failed. */
    static final int PROVIDER_WAITS = 5;
    /** The longest wait for an overloaded provider. */
    static final Duration LONGEST_PROVIDER_WAIT = Duration.ofMinutes(10);

    /**
     * The provider stayed overloaded through the CLI's own retries: the task waits (longer each
     * time) and then continues its agent session; the provider's trouble does not use up an
     * attempt, until it has lasted {@value #PROVIDER_WAITS} waits.
     */
    public void waitForProvider(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit, String reason) {
        int waits = node.waitedForProvider();
        if (waits > PROVIDER_WAITS) {
            failed(c, run, node, live, exit, reason + " (the provider stayed overloaded through " + PROVIDER_WAITS + " waits)",
                    FailureClass.PROVIDER);
            return;
        }
        long wait = Math.min(rateLimitWait.toMillis() << Math.min(20, waits - 1), LONGEST_PROVIDER_WAIT.toMillis());
        Instant until = clock.instant().plusMillis(wait);
        int number = live.iteration();
        c.op(tx -> tx.finishIteration(live.sessionId(), number, IterationEnd.INTERRUPTED, Optional.of(reason), Optional.empty(), Optional.empty()));
        transitions.endSession(c, run, node, live, exit, "provider overloaded: " + reason, Optional.empty());
        c.op(tx -> tx.failureClass(run.id(), node.id(), FailureClass.PROVIDER.id()));
        node.failedBecause(reason);
        transitions.park(c, run, node, until, "provider overloaded; trying again at " + until, Note.QUIET);
        c.event(Event.draft(EventType.TASK_PARKED, Severity.WARNING, "task " + node.key() + " waits " + Durations.human(Duration.ofMillis(wait))
                        + " for an overloaded provider (" + reason + "); wait " + waits + " of " + PROVIDER_WAITS)
                .withRun(run.id()).withTask(node.id()).withAgent(live.agentId()).withSession(live.sessionId())
                .withPayload(java.util.Map.of("class", FailureClass.PROVIDER.id(), "until", until.toString(), "wait", waits)));
        retries.at(run, until);
    }

    /** A rate-limited task waits for the limit to reset, then is queued again and continues its agent session. */
    public void park(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> exit) {
        Instant now = clock.instant();
        Instant until = live.turn().rateLimitedUntil().filter(t -> t.isAfter(now)).orElse(now.plus(rateLimitWait));
        c.op(tx -> tx.failureClass(run.id(), node.id(), FailureClass.RATE_LIMIT.id()));
        transitions.endSession(c, run, node, live, exit, "rate limited until " + until, Optional.empty());
        transitions.park(c, run, node, until, "rate limited until " + until, Note.QUIET);
        c.op(tx -> tx.agentStatus(live.agentId(), AgentStatus.RATE_LIMITED));
        c.event(Event.draft(EventType.TASK_PARKED, Severity.WARNING, "task " + node.key() + " parked until " + until + " (rate limited)")
                .withRun(run.id()).withTask(node.id()).withAgent(live.agentId()).withSession(live.sessionId()));
        retries.at(run, until);
    }
}
