package dev.controlroom.domain;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of a task inside one run, and the only moves allowed between states. The table is
 * the whole state machine: bookkeeping code asks it, nothing else decides.
 */
public enum TaskState {
    PENDING, READY, RUNNING, RETRY_WAIT, SUCCEEDED, FAILED, BLOCKED, SKIPPED, CANCELLED, NEEDS_DECISION, PARKED;

    private static final Map<TaskState, Set<TaskState>> ALLOWED = Map.ofEntries(
            Map.entry(PENDING, EnumSet.of(READY, BLOCKED, SKIPPED, CANCELLED)),
            // FAILED from READY: no agent on the roster can ever take the task.
            Map.entry(READY, EnumSet.of(RUNNING, PENDING, BLOCKED, SKIPPED, CANCELLED, FAILED)),
            // READY from RUNNING: the session was interrupted (stop, crash) and the task is queued again.
            Map.entry(RUNNING, EnumSet.of(SUCCEEDED, FAILED, RETRY_WAIT, NEEDS_DECISION, PARKED, CANCELLED, READY)),
            Map.entry(RETRY_WAIT, EnumSet.of(READY, SKIPPED, CANCELLED)),
            Map.entry(FAILED, EnumSet.of(READY, SKIPPED)),
            Map.entry(BLOCKED, EnumSet.of(PENDING, SKIPPED, CANCELLED)),
            Map.entry(NEEDS_DECISION, EnumSet.of(READY, SKIPPED, CANCELLED, FAILED)),
            Map.entry(PARKED, EnumSet.of(READY, SKIPPED, CANCELLED)),
            Map.entry(SUCCEEDED, EnumSet.noneOf(TaskState.class)),
            Map.entry(SKIPPED, EnumSet.noneOf(TaskState.class)),
            Map.entry(CANCELLED, EnumSet.of(READY)));

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TaskState fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown task state: " + id));
    }

    public boolean canMoveTo(TaskState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Throws when the move is not in the table, naming both states. */
    public TaskState moveTo(TaskState next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException("a task cannot go from " + id() + " to " + next.id());
        }
        return next;
    }

    /** Done for good in this run (until a human retries it). */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == BLOCKED || this == SKIPPED || this == CANCELLED;
    }

    /** Lets its dependents proceed. */
    public boolean satisfiesDependents() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
