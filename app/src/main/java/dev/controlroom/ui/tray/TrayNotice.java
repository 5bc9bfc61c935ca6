package dev.controlroom.ui.tray;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;

import java.util.Optional;

/**
 * A notification the tray shows for an event the person should hear about even with the window
 * hidden: a run done or failed, a task failed, an agent stuck or asking.
 *
 * @param taskId the task a click on the notification opens, when the event names one
 */
public record TrayNotice(Level level, String title, String text, String runId, Optional<Long> taskId) {

    /** How loud the notification is. */
    public enum Level {
        INFO, WARNING, ERROR
    }

    /** The notice for an event, if it is one the person is told about. */
    public static Optional<TrayNotice> of(Event e) {
        if (e.runId().isEmpty()) {
            return Optional.empty();
        }
        String run = e.runId().get();
        return switch (e.type()) {
            case RUN_FINISHED -> Optional.of(e.severity() == Severity.ERROR
                    ? new TrayNotice(Level.ERROR, "Run failed", e.message() + " · " + run, run, Optional.empty())
                    : new TrayNotice(Level.INFO, "Run done", e.message() + " · " + run, run, Optional.empty()));
            case TASK_FAILED -> Optional.of(new TrayNotice(Level.ERROR, "Task failed", e.message(), run, e.taskId()));
            case AGENT_STUCK -> Optional.of(new TrayNotice(Level.WARNING, "Agent stuck", e.message(), run, e.taskId()));
            case NEEDS_INPUT -> Optional.of(new TrayNotice(Level.WARNING, "Needs your input", e.message(), run, e.taskId()));
            default -> Optional.empty();
        };
    }
}
