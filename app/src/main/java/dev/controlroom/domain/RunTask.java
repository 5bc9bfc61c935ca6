package dev.controlroom.domain;

import java.time.Instant;
import java.util.Optional;

/** A task's state inside one run. */
public record RunTask(String runId, long taskId, int wave, TaskState state, int attempts, Optional<Long> agentId,
                      Optional<String> reason, Optional<Instant> readyAt, Optional<Instant> nextAttemptAt,
                      Optional<Instant> startedAt, Optional<Instant> finishedAt) {
}
