package dev.controlroom.ui.waves;

import dev.controlroom.ui.common.TaskDrag;
import dev.controlroom.ui.common.TaskRow;
import dev.controlroom.ui.common.TaskStatus;
import javafx.beans.InvalidationListener;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A lane per wave, a box per task coloured by its status, and an arrow from each dependency to
 * the task that waits for it. A reload only touches what changed: boxes and lanes are kept and
 * updated in place, so nothing flickers and the scroll position stays.
 */
public final class WavesPaneController {
    private static final double ARROW_HEAD = 5;

    private final WavesViewModel viewModel;
    private final Map<String, Label> boxes = new HashMap<>();
    private final Map<String, TaskRow> rows = new HashMap<>();
    private final List<LaneView> laneViews = new ArrayList<>();
    /** Edge "from->to" to its drawn arrow. */
    private final Map<String, Path> edges = new LinkedHashMap<>();
    private final Label empty = new Label("Waves appear here once a task list is loaded: wave 0 holds the tasks without dependencies.");
    /** Set when a box may have moved; the arrows follow after the next layout, once per pulse at most. */
    private boolean arrowsStale = true;
    private final InvalidationListener moved = obs -> arrowsStale = true;
    private final Runnable afterLayout = this::placeArrowsIfStale;

    @FXML
    private Label heading;
    @FXML
    private StackPane canvas;
    @FXML
    private HBox lanes;
    @FXML
    private Pane arrows;

    public WavesPaneController(WavesViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        empty.getStyleClass().add("empty-state");
        empty.setWrapText(true);
        empty.setMaxWidth(420);
        viewModel.lanes().addListener((ListChangeListener<WaveLane>) change -> update());
        viewModel.selectedKeyProperty().addListener((obs, old, now) -> highlight());
        lanes.layoutBoundsProperty().addListener(moved);
        canvas.sceneProperty().addListener((obs, old, scene) -> {
            if (old != null) {
                old.removePostLayoutPulseListener(afterLayout);
            }
            if (scene != null) {
                scene.addPostLayoutPulseListener(afterLayout);
            }
        });
        update();
    }

    /** One lane: its header, progress bar and the column of boxes. */
    private static final class LaneView {
        final Label title = new Label();
        final ProgressBar progress = new ProgressBar(0);
        final VBox column = new VBox(6);
        final VBox lane;

        LaneView() {
            title.getStyleClass().add("wave-title");
            progress.getStyleClass().add("wave-progress-bar");
            progress.setMaxWidth(Double.MAX_VALUE);
            lane = new VBox(6, title, progress, column);
            lane.getStyleClass().add("wave-lane");
        }

        void show(WaveLane data) {
            title.setText("Wave " + data.wave() + " · " + data.finished() + "/" + data.tasks().size() + " done");
            progress.setProgress(data.tasks().isEmpty() ? 0 : (double) data.finished() / data.tasks().size());
        }
    }

    private void update() {
        List<WaveLane> data = viewModel.lanes();
        heading.setText(data.isEmpty() ? "Waves" : "Waves (" + data.size() + ")");
        if (data.isEmpty()) {
            laneViews.clear();
            boxes.clear();
            rows.clear();
            lanes.getChildren().setAll(empty);
            syncEdges();
            return;
        }
        lanes.getChildren().remove(empty);
        while (laneViews.size() > data.size()) {
            lanes.getChildren().remove(laneViews.removeLast().lane);
        }
        while (laneViews.size() < data.size()) {
            LaneView view = new LaneView();
            view.lane.boundsInParentProperty().addListener(moved);
            view.column.boundsInParentProperty().addListener(moved);
            laneViews.add(view);
            lanes.getChildren().add(view.lane);
        }
        Map<String, Label> kept = new HashMap<>();
        rows.clear();
        for (int i = 0; i < data.size(); i++) {
            WaveLane lane = data.get(i);
            LaneView view = laneViews.get(i);
            view.show(lane);
            List<Node> column = new ArrayList<>();
            for (TaskRow task : lane.tasks()) {
                Label box = boxes.containsKey(task.key()) ? boxes.get(task.key()) : newBox(task.key());
                showTask(box, task);
                kept.put(task.key(), box);
                rows.put(task.key(), task);
                column.add(box);
            }
            if (!view.column.getChildren().equals(column)) {
                view.column.getChildren().setAll(column);
            }
        }
        boxes.clear();
        boxes.putAll(kept);
        syncEdges();
        highlight();
        arrowsStale = true;
    }

    private Label newBox(String key) {
        Label box = new Label();
        box.setId("wave-task-" + key);
        box.getStyleClass().add("wave-task");
        box.setMaxWidth(Double.MAX_VALUE);
        box.setOnMouseClicked(e -> viewModel.select(key));
        // A box can be dragged onto an agent card like a row of the tasks table.
        box.setOnDragDetected(e -> {
            ClipboardContent content = new ClipboardContent();
            content.put(TaskDrag.FORMAT, key);
            box.startDragAndDrop(TransferMode.COPY_OR_MOVE).setContent(content);
            e.consume();
        });
        box.boundsInParentProperty().addListener(moved);
        return box;
    }

    private static void showTask(Label box, TaskRow task) {
        box.setText(task.title());
        TaskStatus.restyle(box.getStyleClass(), Optional.of(task.status()));
        String deps = task.task().spec().dependsOn().isEmpty() ? "no dependencies"
                : "after " + String.join(", ", task.task().spec().dependsOn());
        String tip = task.key() + " · " + task.status() + " · " + deps;
        if (box.getTooltip() == null) {
            box.setTooltip(new Tooltip(tip));
        } else if (!box.getTooltip().getText().equals(tip)) {
            box.getTooltip().setText(tip);
        }
    }

    /** Keeps one arrow per dependency between tasks in view; unchanged arrows stay as they are. */
    private void syncEdges() {
        Set<String> wanted = new java.util.LinkedHashSet<>();
        rows.values().forEach(t -> t.task().spec().dependsOn().stream().filter(boxes::containsKey)
                .forEach(dep -> wanted.add(dep + "->" + t.key())));
        edges.keySet().removeIf(edge -> {
            if (wanted.contains(edge)) {
                return false;
            }
            arrows.getChildren().remove(edges.get(edge));
            return true;
        });
        for (String edge : wanted) {
            if (!edges.containsKey(edge)) {
                Path path = new Path();
                path.setManaged(false);
                path.getStyleClass().add("wave-arrow");
                String[] ends = edge.split("->", 2);
                path.setId("wave-arrow-" + ends[0] + "-" + ends[1]);
                edges.put(edge, path);
                arrows.getChildren().add(path);
            }
        }
    }

    /** Marks the selected task, its dependencies and its dependents; dims the other arrows. */
    private void highlight() {
        Optional<String> selected = viewModel.selectedKeyProperty().getValue();
        Set<String> related = selected.map(viewModel::relatedTo).orElse(Set.of());
        boxes.forEach((key, box) -> {
            box.getStyleClass().removeAll("wave-task-selected", "wave-task-related");
            if (selected.isPresent() && selected.get().equals(key)) {
                box.getStyleClass().add("wave-task-selected");
            } else if (related.contains(key)) {
                box.getStyleClass().add("wave-task-related");
            }
        });
        edges.forEach((edge, path) -> {
            path.getStyleClass().removeAll("wave-arrow-emphasis", "wave-arrow-dim");
            if (selected.isPresent()) {
                String[] ends = edge.split("->", 2);
                boolean touches = ends[0].equals(selected.get()) || ends[1].equals(selected.get());
                path.getStyleClass().add(touches ? "wave-arrow-emphasis" : "wave-arrow-dim");
                if (touches) {
                    path.toFront();
                }
            }
        });
    }

    private void placeArrowsIfStale() {
        if (!arrowsStale || canvas.getScene() == null) {
            return;
        }
        arrowsStale = false;
        edges.forEach((edge, path) -> {
            String[] ends = edge.split("->", 2);
            Label from = boxes.get(ends[0]);
            Label to = boxes.get(ends[1]);
            if (from == null || to == null) {
                path.getElements().clear();
                return;
            }
            Bounds a = arrows.sceneToLocal(from.localToScene(from.getBoundsInLocal()));
            Bounds b = arrows.sceneToLocal(to.localToScene(to.getBoundsInLocal()));
            double x1 = a.getMaxX();
            double y1 = a.getCenterY();
            double x2 = b.getMinX();
            double y2 = b.getCenterY();
            double bend = Math.max(12, (x2 - x1) / 2);
            path.getElements().setAll(new MoveTo(x1, y1), new CubicCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2),
                    new MoveTo(x2 - ARROW_HEAD, y2 - ARROW_HEAD), new LineTo(x2, y2), new LineTo(x2 - ARROW_HEAD, y2 + ARROW_HEAD));
        });
    }
}
