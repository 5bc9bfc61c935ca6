package dev.controlroom.domain;

import static dev.controlroom.domain.TaskState.CANCELLED;
import static dev.controlroom.domain.TaskState.FAILED;
import static dev.controlroom.domain.TaskState.NEEDS_DECISION;
import static dev.controlroom.domain.TaskState.PENDING;
import static dev.controlroom.domain.TaskState.READY;
import static dev.controlroom.domain.TaskState.RUNNING;
import static dev.controlroom.domain.TaskState.SKIPPED;

/**
 * What a person may do to a task in its present state: the engine's guards for its controls,
 * written once, so the window offers exactly what the engine accepts. Whether the run allows it
 * (open, not cancelled) and whether the task has verify commands are asked separately.
 *
 * @param retry     a fresh attempt budget: only a task that failed, waits for a decision or was cancelled
 * @param skip      done without running it: any state the table lets move to skipped, and a running task (its session ends)
 * @param cancel    stopped for good: any state the table lets move to cancelled, except cancelled itself
 * @param reassign  another agent: anything not finished for good, and a failed task (it may be retried with the new one)
 * @param verify    its checks run again: only once an attempt has ended and none is running
 * @param terminate its session's process ended now: only while it runs
 * @param answer    a reply to its agent's question: only while it runs
 */
public record TaskControls(boolean retry, boolean skip, boolean cancel, boolean reassign, boolean verify, boolean terminate,
                           boolean answer) {
    /** Nothing allowed: no task, or a task not run yet. */
    public static final TaskControls NONE = new TaskControls(false, false, false, false, false, false, false);

    public static TaskControls of(TaskState state) {
        boolean running = state == RUNNING;
        return new TaskControls(
                state == FAILED || state == NEEDS_DECISION || state == CANCELLED,
                running || state.canMoveTo(SKIPPED),
                running || (state.canMoveTo(CANCELLED) && state != CANCELLED),
                !state.isTerminal() || state == FAILED,
                !(state == PENDING || state == READY || running),
                running,
                running);
    }
}
