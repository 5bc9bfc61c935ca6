package dev.controlroom.domain;

import java.util.Objects;
import java.util.Optional;

/** What it takes to hire an agent. */
public record NewAgent(String name, Optional<String> team, AgentProfile profile, Optional<String> model,
                       Optional<String> commandTemplate, int maxConcurrent) {

    public NewAgent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(profile, "profile");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an agent needs a name");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("max_concurrent must be at least 1, was " + maxConcurrent);
        }
    }

    public static NewAgent of(String name, String team, AgentProfile profile) {
        return new NewAgent(name, Optional.ofNullable(team), profile, Optional.empty(), Optional.empty(), 1);
    }
}
