package dev.controlroom.orchestrator.steps;

import dev.controlroom.domain.AgentScoring;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.orchestrator.launch.SessionLauncher;
import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.orchestrator.state.AgentSlot;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.RunProgress;
import dev.controlroom.orchestrator.state.TaskNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts ready tasks on free agents, best first, within every cap (run, agent, profile). Runs after
 * every decision that may free a slot or make a task ready, in that decision's transaction, so a
 * freed slot never waits for a timer.
 */
public final class StartReadyTasks {
    private final EngineState state;
    private final RunLedger ledger;
    private final EngineLoop loop;
    private final SessionLauncher launcher;
    private final RunProgress progress;
    private final Clock clock;

    public StartReadyTasks(EngineState state, RunLedger ledger, EngineLoop loop, SessionLauncher launcher, RunProgress progress, Clock clock) {
        this.state = state;
        this.ledger = ledger;
        this.loop = loop;
        this.launcher = launcher;
        this.progress = progress;
        this.clock = clock;
    }

    /** Starts what can start now, in a decision of its own. */
    public void run() {
        Changes c = new Changes();
        commitAndLaunch(c, plan(c));
    }

    /** Stores a step's changes together with the sessions they let start, in one transaction, and starts those at once. */
    public void settle(Changes c, RunModel run) {
        progress.finishIfDone(c, run);
        commitAndLaunch(c, plan(c));
    }

    private List<SessionLauncher.PendingStart> plan(Changes c) {
        state.refreshRoster(ledger);
        List<SessionLauncher.PendingStart> launches = new ArrayList<>();
        for (RunModel run : state.runs()) {
            if (run.state() != RunState.RUNNING || !run.hasReadyTasks()) {
                continue;
            }
            boolean failed = false;
            for (TaskNode node : run.readyTasks()) {
                if (!run.hasRoom() || !state.anyAgentHasRoom()) {
                    break;
                }
                AgentScoring.Need need = need(run, node);
                Optional<AgentSlot> slot = choose(node, need);
                if (slot.isPresent()) {
                    launches.add(launcher.prepare(c, run, node, slot.get(), need.isCommand()));
                } else if (state.agents().stream().noneMatch(a -> AgentScoring.mayTake(need, a.agent()))) {
                    progress.failForGood(c, run, node, noAgentReason(node, need));
                    failed = true;
                }
            }
            if (failed) {
                progress.finishIfDone(c, run);
            }
        }
        return launches;
    }

    private void commitAndLaunch(Changes c, List<SessionLauncher.PendingStart> launches) {
        if (!loop.commit(c)) {
            return;
        }
        state.runs().forEach(loop::releaseIfFinished);
        launches.forEach(SessionLauncher.PendingStart::launch);
    }

    private static AgentScoring.Need need(RunModel run, TaskNode node) {
        return AgentScoring.Need.of(node.task().spec(), Optional.of(SessionLauncher.workingDir(run, node).toString()));
    }

    private static String noAgentReason(TaskNode node, AgentScoring.Need need) {
        TaskSpec spec = node.task().spec();
        if (spec.pinned()) {
            return "it is pinned to " + spec.agent().or(spec::profile).orElse("?") + ", which is not on the active roster";
        }
        return "no active agent can take it: it needs " + (need.isCommand() ? "a shell or custom agent"
                : "an AI agent (claude, codex, gemini, opencode, qwen, aider, ollama or custom)");
    }

    private Optional<AgentSlot> choose(TaskNode node, AgentScoring.Need need) {
        Instant now = clock.instant();
        if (node.agentOverride().isPresent()) {
            return state.agent(node.agentOverride().get())
                    .filter(wanted -> wanted.agent().active() && wanted.hasRoom() && state.profileHasRoom(wanted));
        }
        List<AgentScoring.Candidate> candidates = new ArrayList<>();
        Map<Long, AgentSlot> byId = new HashMap<>();
        Optional<Long> avoid = node.avoidAgent();
        boolean others = avoid.isPresent() && state.agents().stream()
                .anyMatch(a -> a.agent().id() != avoid.get() && AgentScoring.mayTake(need, a.agent()));
        for (AgentSlot a : state.agents()) {
            if (others && a.agent().id() == avoid.get()) {
                continue; // stuck on this task before: hand it to another agent
            }
            if (state.profileHasRoom(a)) {
                candidates.add(new AgentScoring.Candidate(a.agent(), a.running(), a.lastDir(), a.lastBranch(), a.lastActive()));
                byId.put(a.agent().id(), a);
            }
        }
        return AgentScoring.choose(need, candidates, now).map(c -> byId.get(c.agent().id()));
    }
}
