package dev.controlroom.ui.waves;

import dev.controlroom.ui.tasks.TaskRow;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** A lane per wave, a box per task coloured by its status. */
public final class WavesPaneController {
    private final WavesViewModel viewModel;

    @FXML
    private Label heading;
    @FXML
    private HBox lanes;

    public WavesPaneController(WavesViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        viewModel.lanes().addListener((ListChangeListener<WaveLane>) change -> rebuild());
        rebuild();
    }

    private void rebuild() {
        lanes.getChildren().clear();
        heading.setText(viewModel.lanes().isEmpty() ? "Waves" : "Waves (" + viewModel.lanes().size() + ")");
        if (viewModel.lanes().isEmpty()) {
            Label empty = new Label("Waves appear here once a task list is loaded: wave 0 holds the tasks without dependencies.");
            empty.getStyleClass().add("empty-state");
            lanes.getChildren().add(empty);
            return;
        }
        for (WaveLane lane : viewModel.lanes()) {
            Label title = new Label("Wave " + lane.wave());
            title.getStyleClass().add("wave-title");
            Label progress = new Label(lane.finished() + " of " + lane.tasks().size() + " done");
            progress.getStyleClass().add("wave-progress");
            VBox box = new VBox(6, title, progress);
            box.getStyleClass().add("wave-lane");
            for (TaskRow task : lane.tasks()) {
                box.getChildren().add(taskBox(task));
            }
            lanes.getChildren().add(box);
        }
    }

    private static Label taskBox(TaskRow task) {
        Label box = new Label(task.title());
        box.setId("wave-task-" + task.key());
        box.getStyleClass().addAll("wave-task", "task-status-" + task.status().replace(' ', '-').replace('_', '-'));
        box.setMaxWidth(Double.MAX_VALUE);
        String deps = task.task().spec().dependsOn().isEmpty() ? "no dependencies"
                : "after " + String.join(", ", task.task().spec().dependsOn());
        box.setTooltip(new Tooltip(task.key() + " · " + task.status() + " · " + deps));
        return box;
    }
}
