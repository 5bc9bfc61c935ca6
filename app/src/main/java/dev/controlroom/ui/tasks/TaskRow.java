package dev.controlroom.ui.tasks;

import dev.controlroom.domain.StoredTask;

/** A task as the panes show it: its definition, its wave and its current status. */
public record TaskRow(StoredTask task, int wave, String status) {

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
}
