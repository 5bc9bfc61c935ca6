package dev.controlroom.domain;

import java.util.Optional;

/** One verification command's result, as evidence of a QA verdict. */
public record QaEvidence(String kind, String command, Optional<Integer> exitCode, boolean passed, String output, long durationMs) {
}
