package dev.controlroom.orchestrator.outcomes;

import dev.controlroom.domain.Durations;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.FailureClass;
import dev.controlroom.domain.Failures;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.launch.Exit;
import dev.controlroom.orchestrator.launch.SessionEnvironment;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.RunLedger.IterationEnd;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.KillReason;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.Note;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.Transitions;
import dev.controlroom.orchestrator.steps.StartReadyTasks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a session's process ending means: killed for a reason, failed, rate limited, asking, done (then verified), or an error. */
public final class ExitOutcome {
    private final AgentRuntime runtime;
    private final EngineLoop loop;
    private final Transitions transitions;
    private final RunProgress progress;
    private final AttemptOutcome attempts;
    private final VerdictOutcome verdicts;
    private final StartReadyTasks starts;
    private final EngineConfig config;

    public ExitOutcome(AgentRuntime runtime, EngineLoop loop, Transitions transitions, RunProgress progress, AttemptOutcome attempts,
                       VerdictOutcome verdicts, StartReadyTasks starts, EngineConfig config) {
        this.runtime = runtime;
        this.loop = loop;
        this.transitions = transitions;
        this.progress = progress;
        this.attempts = attempts;
        this.verdicts = verdicts;
        this.starts = starts;
        this.config = config;
    }

    public void onExit(RunModel run, TaskNode node, LiveSession live, Exit exit) {
        if (!node.isLive(live)) {
            return;
        }
        Optional<Integer> code = exit.code();
        boolean clean = code.equals(Optional.of(0)) && !live.turn().failed();
        Changes c = new Changes();
        if (live.killed().isPresent()) {
            killed(c, run, node, live, live.killed().get(), code);
        } else if (exit instanceof Exit.NotStarted notStarted) {
            attempts.failed(c, run, node, live, code, "could not start: " + Failures.rootMessage(notStarted.cause()), FailureClass.NOT_STARTED);
        } else if (live.turn().rateLimited() && !clean) {
            attempts.park(c, run, node, live, code);
        } else if (live.turn().question().isPresent() && clean && config.nobodyToAsk()) {
            attempts.failed(c, run, node, live, code, "the agent asked \"" + SessionLauncher.firstLine(live.turn().question().orElseThrow())
                    + "\" and nobody is there to answer (run it where a person can, or say it in the prompt)", FailureClass.NEEDS_INPUT);
        } else if (live.turn().question().isPresent() && clean) {
            // The agent asked and its turn ended: the session waits for a person's answer.
            transitions.awaitingAnswer(live);
            int number = live.iteration();
            c.op(tx -> tx.finishIteration(live.sessionId(), number, IterationEnd.INTERRUPTED,
                    Optional.of("waiting for an answer: " + SessionLauncher.firstLine(live.turn().question().orElseThrow())),
                    Optional.empty(), Optional.empty()));
            loop.commit(c);
            return;
        } else if (clean) {
            if (verify(c, run, node, live, code)) {
                return;
            }
        } else {
            String reason = live.turn().failed() ? "the agent reported a failed turn" + live.turn().result().map(r -> ": "
                    + SessionLauncher.firstLine(r)).orElse("") + (code.orElse(0) != 0 ? " (exit code " + code.get() + ")" : "")
                    : "exited with code " + code.map(String::valueOf).orElse("?");
            FailureClass cls = live.turn().errorClass().orElse(FailureClass.AGENT);
            if (cls == FailureClass.PROVIDER) {
                attempts.waitForProvider(c, run, node, live, code, reason);
            } else {
                attempts.failed(c, run, node, live, code, reason, cls);
            }
        }
        starts.settle(c, run);
    }

    /** A clean exit passes at once without verify commands; otherwise they run beside the loop. True when they were started. */
    private boolean verify(Changes c, RunModel run, TaskNode node, LiveSession live, Optional<Integer> code) {
        List<String> verify = node.task().spec().verify();
        if (verify.isEmpty()) {
            int number = live.iteration();
            c.op(tx -> tx.finishIteration(live.sessionId(), number, IterationEnd.PASSED, Optional.empty(), Optional.empty(), Optional.empty()));
            attempts.succeed(c, run, node, live, code);
            return false;
        }
        transitions.verifying(live);
        Duration limit = node.task().spec().timeout().orElse(Duration.ofMinutes(30));
        runtime.verify(verify, Path.of(live.workingDir()), SessionEnvironment.ids(run.id(), node.key(), live.sessionId()), limit)
                .thenApply(checks -> new VerdictOutcome.Verdict(checks, Optional.empty(),
                        live.worktree().flatMap(w -> live.baseRef().flatMap(b -> runtime.changeFingerprint(w, b)))))
                .exceptionally(e -> new VerdictOutcome.Verdict(List.of(), Optional.of(e), Optional.empty()))
                .thenAccept(verdict -> loop.post(() -> verdicts.onVerified(run, node, live, verdict, code)));
        return true;
    }

    private void killed(Changes c, RunModel run, TaskNode node, LiveSession live, KillReason why, Optional<Integer> code) {
        switch (why) {
            case TIMEOUT -> attempts.failed(c, run, node, live, code, "timed out after "
                    + Durations.human(node.task().spec().timeout().orElseThrow()) + " and was ended", FailureClass.TIMEOUT);
            case STUCK -> {
                String reason = "stuck (" + live.stuckReason().orElse("?") + ") and was ended";
                if (live.stuckPolicy() == dev.controlroom.domain.Watchdog.Policy.ASK) {
                    attempts.askPerson(c, run, node, live, code, reason);
                } else {
                    attempts.failed(c, run, node, live, code, reason, FailureClass.STUCK);
                }
            }
            case TERMINATED -> attempts.failed(c, run, node, live, code, "its session was ended by a person", FailureClass.CANCELLED);
            case CANCELLED -> {
                transitions.endSession(c, run, node, live, code, "cancelled", Optional.empty());
                c.op(tx -> tx.failureClass(run.id(), node.id(), FailureClass.CANCELLED.id()));
                transitions.moveTask(c, run, node, TaskState.CANCELLED, Optional.of("cancelled by a person"),
                        Note.of(EventType.TASK_CANCELLED, Severity.WARNING, "task " + node.key() + " cancelled; its session was ended"));
                progress.blockDependents(c, run, node);
            }
            case SKIPPED -> {
                transitions.endSession(c, run, node, live, code, "skipped", Optional.empty());
                transitions.moveTask(c, run, node, TaskState.SKIPPED, Optional.of("skipped by a person"),
                        Note.of(EventType.TASK_SKIPPED, Severity.INFO, "task " + node.key() + " skipped; its session was ended"));
                progress.promoteDependents(c, run, node);
            }
            case STOPPED, REASSIGNED -> {
                transitions.endSession(c, run, node, live, code, why == KillReason.STOPPED ? "the run was stopped" : "reassigned", Optional.empty());
                transitions.moveTask(c, run, node, TaskState.READY, Optional.of(why == KillReason.STOPPED ? "stopped; queued again" : "reassigned"),
                        Note.of(EventType.TASK_REQUEUED, Severity.INFO, "task " + node.key() + " queued again"));
            }
        }
    }
}
