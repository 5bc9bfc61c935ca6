package dev.controlroom.domain;

import java.time.Instant;
import java.util.Optional;

/** One agent process working one task, as stored. */
public record SessionRecord(String id, String runId, long taskId, Optional<Long> agentId, int attempt, String status,
                            Optional<Long> pid, Optional<Instant> processStart, String workingDir,
                            Optional<String> branch, String commandLine, Optional<Integer> exitCode,
                            Optional<String> endReason, Instant startedAt, Optional<Instant> endedAt,
                            Optional<String> nativeSessionId) {

    public boolean isOpen() {
        return status.equals("starting") || status.equals("running");
    }
}
