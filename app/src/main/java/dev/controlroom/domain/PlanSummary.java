package dev.controlroom.domain;

import java.time.Instant;
import java.util.Optional;

/** A task list imported from a plan file (or made in the UI or through the API). */
public record PlanSummary(long id, String name, Optional<String> sourcePath, WaveMode waveMode,
                          Optional<Integer> concurrency, Instant importedAt, int taskCount, Watchdog watchdog) {

    public PlanSummary(long id, String name, Optional<String> sourcePath, WaveMode waveMode, Optional<Integer> concurrency,
                       Instant importedAt, int taskCount) {
        this(id, name, sourcePath, waveMode, concurrency, importedAt, taskCount, Watchdog.NONE);
    }
}
