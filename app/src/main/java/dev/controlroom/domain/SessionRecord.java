package dev.controlroom.domain;

import java.time.Instant;
import java.util.Optional;

/** One agent process working one task, as stored; {@code cliVersion} is the version of the agent CLI that ran it, once known. */
public record SessionRecord(String id, String runId, long taskId, Optional<Long> agentId, int attempt, String status,
                            Optional<Long> pid, Optional<Instant> processStart, String workingDir,
                            Optional<String> branch, String commandLine, Optional<Integer> exitCode,
                            Optional<String> endReason, Instant startedAt, Optional<Instant> endedAt,
                            Optional<String> nativeSessionId, Optional<String> cliVersion) {

    public boolean isOpen() {
        return status.equals("starting") || status.equals("running");
    }
}
