package dev.controlroom.ui.common;

import java.net.URL;
import java.util.Objects;

/** Every FXML view of the application, by name. */
public enum View {
    MAIN_WINDOW("main_window.fxml"),
    AGENTS_PANE("agents_pane.fxml"),
    TASKS_PANE("tasks_pane.fxml"),
    WAVES_PANE("waves_pane.fxml"),
    LOGS_PANE("logs_pane.fxml"),
    EVENTS_PANE("events_pane.fxml"),
    TASK_DETAIL_PANE("task_detail_pane.fxml"),
    REVIEW_PANE("review_pane.fxml"),
    TASK_EDITOR("task_editor.fxml"),
    AGENT_EDITOR("agent_editor.fxml");

    private final String file;

    View(String file) {
        this.file = file;
    }

    public URL url() {
        return Objects.requireNonNull(View.class.getResource("/fxml/" + file), () -> "missing view /fxml/" + file);
    }
}
