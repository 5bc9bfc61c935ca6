package dev.controlroom.domain;

import java.time.Duration;
import java.util.Locale;

/** Durations as a person reads them and as a plan file writes them. */
public final class Durations {
    private Durations() {
    }

    /** For a person: {@code 850 ms}, {@code 12.4 s}, {@code 3 min 5 s}. */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    /**
     * For a plan file: the largest unit that states it exactly ({@code 2h}, {@code 10m}, {@code 90s},
     * {@code 1500ms}).
     *
     * @throws IllegalArgumentException unless it is a positive whole number of milliseconds
     */
    public static String exact(Duration d) {
        if (d.isNegative() || d.isZero() || d.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("a plan file states a duration in whole milliseconds, longer than zero, not " + d);
        }
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        // Counted in seconds: a Duration's seconds never overflow a long, its milliseconds can.
        long seconds = d.getSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
