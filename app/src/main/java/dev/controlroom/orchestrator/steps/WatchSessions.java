package dev.controlroom.orchestrator.steps;

import dev.controlroom.domain.Durations;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The watchdog: a session past its timeout is ended; an agent silent while nothing it started works is stuck. */
public final class WatchSessions {
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
        AgentRuntime.Process process = live.process().get();
        // Silence counts from the last output or the last moment a child was seen working, whichever is later:
        // when a build ends, the agent gets the full limit to react to it.
        Instant lastSign = process.lastOutput().isAfter(live.lastBusyAt()) ? process.lastOutput() : live.lastBusyAt();
        Duration silent = Duration.between(lastSign, now);
        if (silent.compareTo(config.noOutputLimit()) < 0 || live.turn().question().isPresent()) {
            return;
        }
        if (process.hasBusyChildren()) {
            live.sawBusy(now);
            return;
        }
        Changes c = new Changes();
        // Policy: restart with context. The next attempt continues the agent's own session when it has one.
        progress.stuck(c, run, node, live, "no_output", "no output for " + Durations.human(silent) + " and no busy child process");
        loop.commit(c);
        launcher.kill(live, KillReason.STUCK);
    }
}
