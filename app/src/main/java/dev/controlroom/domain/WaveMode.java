package dev.controlroom.domain;

import java.util.Arrays;
import java.util.Optional;

/** When a task of a later wave may start. */
public enum WaveMode {
    /** A task starts as soon as its own dependencies succeeded. */
    DATAFLOW("dataflow"),
    /** Wave n+1 starts only when wave n is finished. */
    BARRIER("barrier");

    private final String id;

    WaveMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<WaveMode> fromId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }
}
