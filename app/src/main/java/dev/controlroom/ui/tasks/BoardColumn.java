package dev.controlroom.ui.tasks;

import dev.controlroom.ui.common.TaskRow;

import java.util.List;

/**
 * The columns of the task board, each gathering the run states a person treats alike: waiting
 * states (a retry's backoff, a rate limit, a decision) share one column, and so do the states that
 * end a task without success other than failure.
 */
public enum BoardColumn {
    NOT_STARTED("Not started", List.of("not run", "pending")),
    READY("Ready", List.of("ready")),
    RUNNING("Running", List.of("running")),
    WAITING("Waiting", List.of("retry_wait", "parked", "needs_decision")),
    SUCCEEDED("Succeeded", List.of("succeeded")),
    FAILED("Failed", List.of("failed")),
    STOPPED("Blocked · skipped · cancelled", List.of("blocked", "skipped", "cancelled"));

    /** One column of the board with its cards, in the order they are shown. */
    public record Cards(BoardColumn column, List<TaskRow> cards) {
    }

    private final String title;
    private final List<String> statuses;

    BoardColumn(String title, List<String> statuses) {
        this.title = title;
        this.statuses = statuses;
    }

    public String title() {
        return title;
    }

    /** The CSS id suffix and test handle: {@code board-column-not-started}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static BoardColumn of(String status) {
        for (BoardColumn c : values()) {
            if (c.statuses.contains(status)) {
                return c;
            }
        }
        return NOT_STARTED;
    }
}
