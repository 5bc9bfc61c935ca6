package dev.controlroom.orchestrator.steps;

import dev.controlroom.domain.Durations;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.Watchdog.Policy;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.KillReason;
import dev.controlroom.orchestrator.state.LiveSession;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.SessionPhase;
import dev.controlroom.orchestrator.state.TaskNode;
import dev.controlroom.orchestrator.state.WatchRules;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The watchdog. A session past its timeout is ended. An agent that makes no progress for its
 * silence threshold is stuck: progress is output (the CLI's own retries and structured events
 * included), a file changed in its working directory, or — for an agent — a process it started
 * still running (a build or a test waiting on I/O is the agent's work, however little CPU it
 * uses; its timeout bounds it), and for a shell command CPU used. The agent's own process and
 * the wrappers it was started through are not progress, whatever CPU they spend waiting on a
 * dead connection. A stuck session gets its policy: restart, hand off, ask a person, or nudge.
 */
public final class WatchSessions {
    static final String NUDGE = "Control Room: no progress for a while. If you are waiting on something, say what; otherwise continue the task.\n";
    private final EngineState state;
    private final EngineLoop loop;
    private final SessionLauncher launcher;
    private final RunProgress progress;
    private final EngineConfig config;
    private final Clock clock;

    public WatchSessions(EngineState state, EngineLoop loop, SessionLauncher launcher, RunProgress progress, EngineConfig config, Clock clock) {
        this.state = state;
        this.loop = loop;
        this.launcher = launcher;
        this.progress = progress;
        this.config = config;
        this.clock = clock;
    }

    public void run() {
        Instant now = clock.instant();
        for (RunModel run : state.runs()) {
            for (TaskNode t : run.tasks()) {
                t.live().ifPresent(live -> watch(run, t, live, now));
            }
        }
    }

    private void watch(RunModel run, TaskNode node, LiveSession live, Instant now) {
        if (live.killed().isPresent() || live.phase() != SessionPhase.RUNNING || live.process().isEmpty()) {
            return;
        }
        if (live.deadline().map(d -> !d.isAfter(now)).orElse(false)) {
            launcher.kill(live, KillReason.TIMEOUT);
            return;
        }
        WatchRules.Resolved rules = live.watch();
        if (rules.off() || live.turn().question().isPresent()) {
            return;
        }
        AgentRuntime.Process process = live.process().get();
        Instant lastSign = live.lastSign();
        Duration silent = Duration.between(lastSign, now);
        if (silent.compareTo(rules.silence().dividedBy(2)) < 0) {
            live.resetHalfwayLook();
            return;
        }
        if (silent.compareTo(rules.silence()) < 0) {
            if (live.takeHalfwayLook()) {
                process.workSign(); // a baseline: a shell command's CPU counts from here
            }
            return;
        }
        Optional<String> sign = process.workSign();
        if (sign.isEmpty()) {
            sign = process.fileChangedSince(lastSign).map(f -> "a file changed: " + relative(live, f));
        }
        if (sign.isPresent()) {
            live.progressed(now, sign.get());
            return;
        }
        String reason = "no progress for " + Durations.human(silent) + ": no output, no file changed, "
                + (live.work() instanceof AgentRuntime.Work.Prompt ? "no process it started running" : "no CPU used");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("signal", "silence");
        details.put("silent_ms", silent.toMillis());
        details.put("threshold_ms", rules.silence().toMillis());
        details.put("last_output_at", process.lastOutput().toString());
        live.lastProgressSign().ifPresent(s -> details.put("last_progress", s));
        act(run, node, live, rules.onStuck(), "no_progress", reason, details, now);
    }

    /** Applies a policy to a stuck session (also used for an agent that repeats one error). */
    public void act(RunModel run, TaskNode node, LiveSession live, Policy policy, String kind, String reason, Map<String, Object> details,
                    Instant now) {
        Policy applied = policy;
        if (policy == Policy.NUDGE && (live.nudges() > 0 || !(live.work() instanceof AgentRuntime.Work.Prompt))) {
            applied = Policy.RESTART; // one nudge per session; a shell command is never typed into
        }
        Map<String, Object> payload = new LinkedHashMap<>(details);
        payload.put("policy", applied.id());
        if (applied != policy) {
            payload.put("policy_asked", policy.id());
        }
        Changes c = new Changes();
        if (applied == Policy.NUDGE) {
            live.nudged(now);
            c.event(Event.draft(EventType.AGENT_NUDGED, Severity.WARNING, "task " + node.key() + ": " + reason + "; nudged the agent")
                    .withRun(run.id()).withTask(node.id()).withAgent(live.agentId()).withSession(live.sessionId()).withPayload(payload));
            loop.commit(c);
            AgentRuntime.Process process = live.process().orElseThrow();
            loop.offLoop(() -> {
                try {
                    process.type(NUDGE);
                } catch (IOException e) {
                    // the process went away meanwhile: its exit says what happened
                }
            });
            return;
        }
        live.stuckPolicy(applied);
        progress.stuck(c, run, node, live, kind, reason, payload);
        if (applied == Policy.HANDOFF) {
            node.avoid(live.agentId());
        }
        loop.commit(c);
        launcher.kill(live, KillReason.STUCK);
    }

    private static String relative(LiveSession live, Path file) {
        Path dir = Path.of(live.workingDir());
        return file.startsWith(dir) ? dir.relativize(file).toString() : file.toString();
    }
}
