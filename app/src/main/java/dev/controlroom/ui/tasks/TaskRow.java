package dev.controlroom.ui.tasks;

import dev.controlroom.domain.StoredTask;

import java.util.List;
import java.util.Locale;

/** A task as the panes show it: its definition, its wave and its current status. */
public record TaskRow(StoredTask task, int wave, String status) {
    /** Status words in the order a run moves through them; unknown ones sort last. */
    private static final List<String> STATUS_ORDER = List.of("not run", "pending", "ready", "running", "retry_wait", "parked",
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

    /** Where a status word sits in a run's course, for sorting filter choices. */
    static int orderOf(String status) {
        int i = STATUS_ORDER.indexOf(status);
        return i < 0 ? STATUS_ORDER.size() : i;
    }

    /** The column of the board the task belongs in. */
    public BoardColumn column() {
        return BoardColumn.of(status);
    }

    /** What the free-text filter looks through, lower case: key, title, prompt and command. */
    String searchText() {
        return (key() + "\n" + title() + "\n" + task.spec().prompt().orElse("") + "\n" + task.spec().command().orElse(""))
                .toLowerCase(Locale.ROOT);
    }
}
