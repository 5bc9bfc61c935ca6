package dev.controlroom.domain;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of entry in the event log, shared by the engine, the store, the window, the tray,
 * notifications and the command line. {@link #id()} is what the database stores.
 */
public enum EventType {
    // runs
    RUN_STARTED, RUN_PAUSED, RUN_RESUMED, RUN_STOPPED, RUN_CANCELLING, RUN_CANCELLED, RUN_INTERRUPTED, RUN_FINISHED,
    WAVE_STARTED, WAVE_FINISHED,
    // tasks
    TASK_STARTED, TASK_SUCCEEDED, TASK_FAILED, TASK_BLOCKED, TASK_RETRIED, TASK_SKIPPED, TASK_CANCELLED, TASK_REASSIGNED,
    TASK_REQUEUED, TASK_RETRY_SCHEDULED, TASK_PARKED, TASK_ESCALATED, TASK_NEEDS_DECISION,
    /** A sub-task joined a live run under a task still at work. */
    TASK_ADDED,
    // a task's work brought back or thrown away (review)
    TASK_MERGED, TASK_SQUASHED, TASK_MERGE_REFUSED, TASK_DISCARDED,
    // sessions and iterations
    ITERATION_STARTED, QA_VERDICT, ANSWERED, AGENT_STUCK, AGENT_NUDGED, ORPHAN_KILLED, SESSION_INTERRUPTED,
    /** The session's agent CLI is newer than the newest version its output was checked against. */
    CLI_VERSION_UNTESTED,
    // found in an agent's output
    SESSION_STARTED, MESSAGE, TOOL_CALL, TOOL_RESULT, FILE_CHANGE, NEEDS_INPUT, RATE_LIMITED, PROVIDER_RETRY, USAGE, TURN_END, ERROR, TEST_RESULT,
    // the roster
    ROSTER_SEEDED,
    /** A type this version does not know (a database written by a newer one): shown, never acted on. */
    UNKNOWN;

    private static final Map<String, EventType> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::id, Function.identity()));

    /** The stored name: lower case with underscores ({@code task_failed}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The words a person reads ({@code task failed}). */
    public String label() {
        return id().replace('_', ' ');
    }

    /** The type stored under {@code id}; {@link #UNKNOWN} for one this version does not know. */
    public static EventType fromId(String id) {
        return BY_ID.getOrDefault(id, UNKNOWN);
    }

    /** Whether the event says how a whole run moved (started, paused, finished, ...). */
    public boolean isRunLevel() {
        return name().startsWith("RUN_");
    }

    /** Whether the event says how one task moved. */
    public boolean isTaskLevel() {
        return name().startsWith("TASK_");
    }
}
