package dev.controlroom.domain;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The state of a run, and the moves allowed between states. */
public enum RunState {
    PENDING, RUNNING, PAUSED, STOPPING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED;

    private static final Map<RunState, Set<RunState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(PAUSED, STOPPING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED),
            PAUSED, EnumSet.of(RUNNING, STOPPING, CANCELLED, INTERRUPTED, FAILED, SUCCEEDED),
            STOPPING, EnumSet.of(PAUSED, CANCELLED, INTERRUPTED),
            // A crashed process leaves its run RUNNING in the database; resuming it marks it INTERRUPTED first.
            INTERRUPTED, EnumSet.of(RUNNING, PAUSED, CANCELLED),
            FAILED, EnumSet.of(RUNNING),
            SUCCEEDED, EnumSet.noneOf(RunState.class),
            CANCELLED, EnumSet.noneOf(RunState.class));

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RunState fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown run state: " + id));
    }

    public boolean canMoveTo(RunState next) {
        return ALLOWED.get(this).contains(next);
    }

    public RunState moveTo(RunState next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException("a run cannot go from " + id() + " to " + next.id());
        }
        return next;
    }

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
