package dev.controlroom.domain;

import java.util.Arrays;

/** How much an event matters to a human. */
public enum Severity {
    DEBUG, INFO, WARNING, ERROR, CRITICAL;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Severity fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown severity: " + id));
    }
}
