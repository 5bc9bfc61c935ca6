package dev.controlroom.domain;

import java.util.List;
import java.util.Optional;

/** One round of a session (prompt, output, verification) with the evidence of its verdict. */
public record IterationRecord(String sessionId, int number, String status, Optional<String> prompt,
                              Optional<String> failureSummary, Optional<String> failureFingerprint, List<Check> checks) {

    public IterationRecord {
        checks = List.copyOf(checks);
    }

    /** One verification command's result. */
    public record Check(String kind, String command, Optional<Integer> exitCode, boolean passed, String output, long durationMs) {
    }
}
