package dev.controlroom.orchestrator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Run ids that a person can read and sort: the UTC start time plus a random suffix. */
final class RunIds {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    static String next(Clock clock) {
        byte[] suffix = new byte[2];
        RANDOM.nextBytes(suffix);
        return "run-" + FORMAT.format(clock.instant()) + "-" + HexFormat.of().formatHex(suffix);
    }

    static String session(String runId, String taskKey, int ordinal) {
        return runId + "." + taskKey + "." + ordinal;
    }
}
