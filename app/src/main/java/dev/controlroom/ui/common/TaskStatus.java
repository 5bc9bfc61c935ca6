package dev.controlroom.ui.common;

import java.util.List;
import java.util.Optional;

/**
 * A task's status as a style class, {@code task-status-needs-decision}, the one name every pane and
 * stylesheet uses for it.
 */
public final class TaskStatus {
    private static final String PREFIX = "task-status-";

    private TaskStatus() {
    }

    /** {@code "not run"} → {@code task-status-not-run}, {@code "retry_wait"} → {@code task-status-retry-wait}. */
    public static String styleClass(String status) {
        return PREFIX + status.replace(' ', '-').replace('_', '-');
    }

    /** Replaces whatever status class {@code styleClasses} had with {@code status}'s; none when it is empty. */
    public static void restyle(List<String> styleClasses, Optional<String> status) {
        styleClasses.removeIf(c -> c.startsWith(PREFIX));
        status.ifPresent(s -> styleClasses.add(styleClass(s)));
    }
}
