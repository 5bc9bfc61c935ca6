package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.Agent;

import java.time.Instant;
import java.util.Optional;

/** An agent as the engine tracks it: the roster entry and what it is doing. */
public final class AgentSlot {
    Agent agent;
    int running;
    Optional<String> lastDir = Optional.empty();
    Optional<String> lastBranch = Optional.empty();
    Optional<Instant> lastActive;

    AgentSlot(Agent agent) {
        this.agent = agent;
        this.lastActive = agent.lastActiveAt();
    }

    public Agent agent() {
        return agent;
    }

    public int running() {
        return running;
    }

    public boolean hasRoom() {
        return running < agent.maxConcurrent();
    }

    public Optional<String> lastDir() {
        return lastDir;
    }

    public Optional<String> lastBranch() {
        return lastBranch;
    }

    public Optional<Instant> lastActive() {
        return lastActive;
    }
}
