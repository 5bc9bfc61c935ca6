package dev.controlroom.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A validated plan: tasks with their dependencies, run settings and optional roster additions. */
public record PlanSpec(String name, Optional<Integer> concurrency, WaveMode waveMode, List<AgentSpec> agents,
                       List<TaskSpec> tasks, Watchdog watchdog) {

    public PlanSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(watchdog, "watchdog");
        agents = List.copyOf(agents);
        tasks = List.copyOf(tasks);
    }

    /** A plan that leaves the watchdog to the agents' and profiles' settings. */
    public PlanSpec(String name, Optional<Integer> concurrency, WaveMode waveMode, List<AgentSpec> agents, List<TaskSpec> tasks) {
        this(name, concurrency, waveMode, agents, tasks, Watchdog.NONE);
    }

    /** A roster addition declared by a plan. */
    public record AgentSpec(String id, AgentProfile profile, Optional<String> model, int maxConcurrent,
                            Optional<String> commandTemplate) {
    }
}
