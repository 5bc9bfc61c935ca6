package dev.controlroom.ui.common;

import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskControls;
import dev.controlroom.domain.TaskState;

import java.util.List;
import java.util.Optional;

/** A task as the panes show it: its definition, its wave and its current status. */
public record TaskRow(StoredTask task, int wave, String status) {
    /** The status of a task the newest run has not reached, or of a list never run. */
    public static final String NOT_RUN = "not run";
    /** Status words in the order a run moves through them; unknown ones sort last. */
    private static final List<String> STATUS_ORDER = List.of(NOT_RUN, "pending", "ready", "running", "retry_wait", "parked",
            "needs_decision", "succeeded", "failed", "blocked", "skipped", "cancelled");

    public String key() {
        return task.key();
    }

    public String title() {
        return task.spec().title();
    }

    /** What the task runs: its command for a shell agent, else the first line of its prompt. */
    public String work() {
        return task.spec().command().or(() -> task.spec().prompt().map(p -> p.lines().findFirst().orElse("")))
                .orElse("");
    }

    /** The agent or profile the task prefers, or "any". */
    public String preference() {
        String pref = task.spec().agent().or(() -> task.spec().profile()).orElse("any");
        return task.spec().pinned() ? pref + " (pinned)" : pref;
    }

    /** The task's lane (the plan's category), empty when it has none. */
    public String lane() {
        return task.spec().category().orElse("");
    }

    /** The task's state in the newest run; empty when it has not been run. */
    public Optional<TaskState> state() {
        return NOT_RUN.equals(status) ? Optional.empty() : Optional.of(TaskState.fromId(status));
    }

    /** What a person may do to the task in its state, before asking whether the run allows it. */
    public TaskControls controls() {
        return state().map(TaskControls::of).orElse(TaskControls.NONE);
    }

    /** Where a status word sits in a run's course, for sorting filter choices. */
    public static int orderOf(String status) {
        int i = STATUS_ORDER.indexOf(status);
        return i < 0 ? STATUS_ORDER.size() : i;
    }
}
