package dev.controlroom.orchestrator.outcomes;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.QaEvidence;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.RunLedger.IterationEnd;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;
import dev.controlroom.orchestrator.steps.StartReadyTasks;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A verification's verdict: recorded with its evidence, then the task succeeds, iterates again, or fails. */
public final class VerdictOutcome {
    private final Transitions transitions;
    private final AttemptOutcome attempts;
    private final SessionLauncher launcher;
    private final StartReadyTasks starts;
    private final Clock clock;

    public VerdictOutcome(Transitions transitions, AttemptOutcome attempts, SessionLauncher launcher, StartReadyTasks starts, Clock clock) {
        this.transitions = transitions;
        this.attempts = attempts;
        this.launcher = launcher;
        this.starts = starts;
        this.clock = clock;
    }

    /** The checks of one verification, what stopped it from running, and for a worktree the fingerprint of its changes then. */
    public record Verdict(List<AgentRuntime.Check> checks, Optional<Throwable> error, Optional<String> changes) {
        public Optional<AgentRuntime.Check> failed() {
            return checks.stream().filter(k -> !k.passed()).findFirst();
        }

        public boolean passed() {
            return error.isEmpty() && failed().isEmpty();
        }

        public String summary() {
            return IterationPolicy.summary(error, failed());
        }
    }

    /** What an iteration's verdict is recorded as; {@code byPerson} when a person asked for the checks again. */
    public record Recorded(String runId, long taskId, String taskKey, String sessionId, int iteration, boolean byPerson) {
    }

    /** Stores the verdict, its evidence and its event, as the iteration's end. */
    public void record(Changes c, Recorded at, Verdict verdict) {
        List<QaEvidence> evidence = IterationPolicy.evidence(verdict.checks());
        boolean passed = verdict.passed();
        String summary = verdict.summary();
        if (at.byPerson()) {
            c.op(tx -> tx.startIteration(at.sessionId(), at.iteration(), Optional.of("verification triggered by a person")));
        }
        c.op(tx -> tx.qaEvidence(at.sessionId(), at.iteration(), evidence));
        c.op(tx -> tx.finishIteration(at.sessionId(), at.iteration(), passed ? IterationEnd.PASSED : IterationEnd.FAILED,
                passed ? Optional.empty() : Optional.of(summary), IterationPolicy.fingerprint(verdict.failed()), verdict.changes()));
        String suffix = at.byPerson() ? " (checked again by a person)" : at.iteration() > 1 ? " (iteration " + at.iteration() + ")" : "";
        Map<String, Object> payload = new HashMap<>(Map.of("passed", passed, "iteration", at.iteration(), "checks", evidence.size()));
        if (at.byPerson()) {
            payload.put("manual", true);
        }
        c.event(Event.draft(EventType.QA_VERDICT, passed ? Severity.INFO : Severity.WARNING, "task " + at.taskKey() + ": " + summary + suffix)
                .withRun(at.runId()).withTask(at.taskId()).withSession(at.sessionId()).withPayload(payload));
    }

    public void onVerified(RunModel run, TaskNode node, LiveSession live, Verdict verdict, Optional<Integer> exit) {
        if (!node.isLive(live)) {
            return;
        }
        Changes c = new Changes();
        record(c, new Recorded(run.id(), node.id(), node.key(), live.sessionId(), live.iteration(), false), verdict);
        if (verdict.passed()) {
            attempts.succeed(c, run, node, live, exit);
        } else if (live.work() instanceof AgentRuntime.Work.Prompt prompt) {
            iterationFailed(c, run, node, live, prompt, verdict, exit);
            return;
        } else {
            attempts.failed(c, run, node, live, exit, verdict.summary(), dev.controlroom.domain.FailureClass.VERIFY);
        }
        starts.settle(c, run);
    }

    /**
     * An AI iteration did not pass verification: the next iteration continues the same agent
     * session with the structured failure in its prompt, unless the failure repeats, nothing
     * changed, or the budget is spent.
     */
    private void iterationFailed(Changes c, RunModel run, TaskNode node, LiveSession live, AgentRuntime.Work.Prompt prompt, Verdict verdict,
                                 Optional<Integer> exit) {
        Optional<String> fingerprint = IterationPolicy.fingerprint(verdict.failed());
        Optional<String> stopEarly = IterationPolicy.stopEarly(live, fingerprint, verdict.changes());
        live.remember(fingerprint, verdict.changes());
        TaskSpec spec = node.task().spec();
        String summary = verdict.summary();
        if (stopEarly.isPresent() || node.attempts() >= spec.maxAttempts()) {
            String why = stopEarly.map(s -> summary + "; stopped early: " + s)
                    .orElse(summary + "; " + node.attempts() + " of " + spec.maxAttempts() + " iterations used");
            transitions.endSession(c, run, node, live, exit, why, Optional.of(false));
            c.event(Event.draft(EventType.TASK_ESCALATED, Severity.ERROR, "task " + node.key() + " escalated: " + why)
                    .withRun(run.id()).withTask(node.id()).withSession(live.sessionId()));
            c.op(tx -> tx.failureClass(run.id(), node.id(), dev.controlroom.domain.FailureClass.VERIFY.id()));
            attempts.giveUp(c, run, node, why);
            starts.settle(c, run);
            return;
        }
        transitions.countIteration(c, run, node, live);
        live.deadline(spec.timeout().map(clock.instant()::plus));
        boolean resume = launcher.canResume(prompt, live);
        AgentRuntime.Work.Prompt next = launcher.followUp(prompt, live, IterationPolicy.feedback(verdict.failed(), summary), prompt.prompt() + "\n\n");
        c.event(Event.draft(EventType.ITERATION_STARTED, Severity.INFO, "task " + node.key() + " iteration " + live.iteration() + " of "
                        + spec.maxAttempts() + (resume ? ", continuing session " + live.nativeId().orElseThrow() : "") + ": " + summary)
                .withRun(run.id()).withTask(node.id()).withSession(live.sessionId()).withPayload(Map.of("iteration", live.iteration())));
        launcher.continueWith(c, run, node, live, next);
    }
}
