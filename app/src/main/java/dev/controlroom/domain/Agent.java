package dev.controlroom.domain;

import java.time.Instant;
import java.util.Optional;

/** One worker slot of the roster. */
public record Agent(
        long id,
        String name,
        Optional<String> team,
        AgentProfile profile,
        Optional<String> model,
        Optional<String> commandTemplate,
        int maxConcurrent,
        boolean active,
        AgentStatus status,
        AgentStats stats,
        Optional<Instant> lastActiveAt) {
}
