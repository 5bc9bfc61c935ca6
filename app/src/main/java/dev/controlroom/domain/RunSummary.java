package dev.controlroom.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A run as listed: its state and how many of its tasks are in each state. */
public record RunSummary(String id, long planId, String planName, RunState state, WaveMode waveMode, int concurrency,
                         String startedBy, Optional<String> pauseReason, Optional<Long> ownerPid, Instant createdAt,
                         Optional<Instant> finishedAt, Map<TaskState, Integer> counts) {

    public int count(TaskState state) {
        return counts.getOrDefault(state, 0);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
