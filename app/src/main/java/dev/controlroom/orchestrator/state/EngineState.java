package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.Agent;
import dev.controlroom.orchestrator.port.RunLedger;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the engine holds in memory: the runs it owns and the roster with what each agent is doing. Loop thread only. */
public final class EngineState {
    private final Map<String, RunModel> runs = new LinkedHashMap<>();
    private final Map<Long, AgentSlot> agents = new LinkedHashMap<>();
    final Map<String, Integer> runningPerProfile = new HashMap<>();
    private final Map<String, Integer> profileCaps;
    private boolean rosterDirty = true;
    /** A failed run taken up again for a retry: not completed before the retry reopens it. */
    private Optional<String> reopening = Optional.empty();

    public EngineState(Map<String, Integer> profileCaps) {
        this.profileCaps = Map.copyOf(profileCaps);
    }

    public Optional<RunModel> run(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    public boolean owns(String runId) {
        return runs.containsKey(runId);
    }

    /** The runs this process owns, as a copy (a decision may add or remove one). */
    public List<RunModel> runs() {
        return List.copyOf(runs.values());
    }

    public List<String> runIds() {
        return List.copyOf(runs.keySet());
    }

    public void own(RunModel run) {
        runs.put(run.id(), run);
    }

    public void release(RunModel run) {
        runs.remove(run.id());
    }

    public boolean isReopening(String runId) {
        return reopening.equals(Optional.of(runId));
    }

    public void reopening(Optional<String> runId) {
        reopening = runId;
    }

    /** Every live session of every owned run. */
    public List<LiveSession> liveSessions() {
        return runs.values().stream().flatMap(r -> r.tasks().stream()).flatMap(t -> t.live.stream()).toList();
    }

    public Optional<LiveSession> liveSession(String sessionId) {
        return liveSessions().stream().filter(l -> l.sessionId().equals(sessionId)).findFirst();
    }

    /** The roster changed (hire, fire, edit): it is read again before the next assignment. */
    public void rosterChanged() {
        rosterDirty = true;
    }

    public Collection<AgentSlot> agents() {
        return agents.values();
    }

    public Optional<AgentSlot> agent(long agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    public boolean anyAgentHasRoom() {
        return agents.values().stream().anyMatch(AgentSlot::hasRoom);
    }

    /** Whether the agent's profile is under its cap of sessions at once (no cap: always). */
    public boolean profileHasRoom(AgentSlot a) {
        Integer cap = profileCaps.get(a.agent.profile().id());
        return cap == null || runningPerProfile.getOrDefault(a.agent.profile().id(), 0) < cap;
    }

    /** Reads the roster again when it changed; a fired agent still finishing a session stays, fired, until it ends. */
    public void refreshRoster(RunLedger ledger) {
        if (!rosterDirty) {
            return;
        }
        Map<Long, Agent> active = new LinkedHashMap<>();
        ledger.activeAgents().forEach(a -> active.put(a.id(), a));
        agents.keySet().removeIf(id -> !active.containsKey(id) && agents.get(id).running == 0);
        agents.forEach((id, slot) -> {
            if (!active.containsKey(id)) {
                ledger.agent(id).ifPresent(fired -> slot.agent = fired);
            }
        });
        for (Agent a : active.values()) {
            AgentSlot slot = agents.get(a.id());
            if (slot == null) {
                agents.put(a.id(), new AgentSlot(a));
            } else {
                slot.agent = a;
            }
        }
        rosterDirty = false;
    }
}
