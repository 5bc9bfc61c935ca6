package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How one task's outcome moves the rest of its run: dependents freed or blocked, waves and the run finished. */
public final class RunProgress {
    private final Transitions transitions;

    public RunProgress(Transitions transitions) {
        this.transitions = transitions;
    }

    /** Dependents whose dependencies are now all done become ready; in barrier mode a finished wave frees the next. */
    public void promoteDependents(Changes c, RunModel run, TaskNode done) {
        List<TaskNode> candidates = run.waveMode() == WaveMode.BARRIER
                ? run.tasks().stream().filter(t -> t.state == TaskState.PENDING).toList()
                : done.dependents;
        for (TaskNode d : candidates) {
            if (d.state == TaskState.PENDING && run.mayStart(d)) {
                transitions.moveTask(c, run, d, TaskState.READY, Optional.empty(), Note.QUIET);
            }
        }
    }

    /** Every task that (transitively) needs a failed task can no longer run. */
    public void blockDependents(Changes c, RunModel run, TaskNode failed) {
        Deque<TaskNode> queue = new ArrayDeque<>(failed.dependents);
        while (!queue.isEmpty()) {
            TaskNode d = queue.poll();
            if (d.state == TaskState.PENDING || d.state == TaskState.READY) {
                transitions.moveTask(c, run, d, TaskState.BLOCKED, Optional.of("needs " + failed.key() + ", which " + failed.state.id()),
                        Note.of(EventType.TASK_BLOCKED, Severity.WARNING, "task " + d.key() + " blocked: it needs " + failed.key()
                                + ", which " + (failed.state == TaskState.FAILED ? "failed" : "was " + failed.state.id())));
                c.op(tx -> tx.failureClass(run.id(), d.id(), dev.controlroom.domain.FailureClass.BLOCKED.id()));
                queue.addAll(d.dependents);
            }
        }
        if (run.waveMode() == WaveMode.BARRIER) {
            promoteDependents(c, run, failed);
        }
    }

    /** A retried or skipped task gives its blocked dependents another chance. */
    public void unblockDependents(Changes c, RunModel run, TaskNode t) {
        Deque<TaskNode> queue = new ArrayDeque<>(t.dependents);
        while (!queue.isEmpty()) {
            TaskNode d = queue.poll();
            if (d.state == TaskState.BLOCKED && !run.hasFailedDependency(d)) {
                transitions.moveTask(c, run, d, TaskState.PENDING, Optional.empty(), Note.QUIET);
                queue.addAll(d.dependents);
            }
        }
    }

    /** A task that can never run (no agent may take it, its attempts are used up): failed, and its dependents blocked. */
    public void failForGood(Changes c, RunModel run, TaskNode node, String reason) {
        transitions.moveTask(c, run, node, TaskState.FAILED, Optional.of(reason),
                Note.of(EventType.TASK_FAILED, Severity.ERROR, "task " + node.key() + " failed: " + reason));
        blockDependents(c, run, node);
    }

    /** A failed run taken up again, or a run paused by a critical task once a person decided. */
    public void reopen(Changes c, RunModel run) {
        if (run.state == RunState.FAILED) {
            transitions.moveRun(c, run, RunState.RUNNING, Optional.empty(), Note.of(EventType.RUN_RESUMED, Severity.INFO, "run reopened"));
        } else if (run.state == RunState.PAUSED && !run.anyTaskIn(TaskState.NEEDS_DECISION) && run.anyTaskIn(TaskState.READY)
                && run.pauseReason.map(r -> r.startsWith("critical task")).orElse(false)) {
            transitions.moveRun(c, run, RunState.RUNNING, Optional.empty(),
                    Note.of(EventType.RUN_RESUMED, Severity.INFO, "run continues after the decision"));
        }
    }

    /** Announces finished waves, and ends the run when every task has settled. */
    public void finishIfDone(Changes c, RunModel run) {
        for (int w = 0; w < run.waves(); w++) {
            if (run.waveStarted[w] && run.waveDone[w] == run.waveSize[w] && !run.waveAnnounced[w]) {
                final int wave = w;
                boolean ok = run.tasks().stream().filter(t -> t.wave() == wave).allMatch(t -> t.state.satisfiesDependents());
                run.waveAnnounced[w] = true;
                c.op(tx -> tx.waveFinished(run.id(), wave, ok));
                c.event(Event.draft(EventType.WAVE_FINISHED, ok ? Severity.INFO : Severity.WARNING, "wave " + w + " finished"
                        + (ok ? "" : " with failures")).withRun(run.id()).withPayload(Map.of("wave", w, "succeeded", ok)));
            }
        }
        if (run.state == RunState.RUNNING && run.allTerminal()) {
            boolean ok = run.allSatisfied();
            long failed = run.tasks().stream().filter(t -> !t.state.satisfiesDependents()).count();
            transitions.moveRun(c, run, ok ? RunState.SUCCEEDED : RunState.FAILED, Optional.empty(), Note.of(EventType.RUN_FINISHED,
                    ok ? Severity.INFO : Severity.ERROR, "run " + (ok ? "succeeded" : "failed: " + failed + " task(s) failed or blocked")));
        } else if (run.state == RunState.STOPPING && !run.hasLiveSessions()) {
            transitions.moveRun(c, run, RunState.CANCELLED, Optional.of("cancelled by a person"),
                    Note.of(EventType.RUN_CANCELLED, Severity.WARNING, "run cancelled"));
        }
    }

    /** A wave's first session: the wave is stored and announced as started. */
    public void waveStarts(Changes c, RunModel run, TaskNode node) {
        int wave = node.wave();
        if (run.waveStarted[wave]) {
            return;
        }
        run.waveStarted[wave] = true;
        c.op(tx -> tx.waveStarted(run.id(), wave));
        c.event(Event.draft(EventType.WAVE_STARTED, Severity.INFO, "wave " + wave + " started (" + run.waveSize[wave]
                + (run.waveSize[wave] == 1 ? " task)" : " tasks)")).withRun(run.id()).withPayload(Map.of("wave", wave)));
    }

    /** The watchdog's verdict: visible on the agent, in the log, and acted on by the caller's policy. */
    public void stuck(Changes c, RunModel run, TaskNode node, LiveSession live, String kind, String reason) {
        stuck(c, run, node, live, kind, reason, Map.of());
    }

    /** The agent is stuck; {@code details} go into the event (the signals looked at, the threshold, the policy). */
    public void stuck(Changes c, RunModel run, TaskNode node, LiveSession live, String kind, String reason, Map<String, Object> details) {
        live.stuckBecause(reason);
        c.op(tx -> tx.agentStatus(live.agentId(), AgentStatus.STUCK));
        Map<String, Object> payload = new java.util.LinkedHashMap<>(details);
        payload.put("kind", kind);
        payload.put("reason", reason);
        String policy = java.util.Optional.ofNullable(details.get("policy")).map(Object::toString)
                .flatMap(dev.controlroom.domain.Watchdog.Policy::fromId).map(p -> " → " + p.label()).orElse("");
        c.event(Event.draft(EventType.AGENT_STUCK, Severity.ERROR, "task " + node.key() + " is stuck: " + reason + policy)
                .withRun(run.id()).withTask(node.id()).withAgent(live.agentId()).withSession(live.sessionId())
                .withPayload(payload));
    }
}
