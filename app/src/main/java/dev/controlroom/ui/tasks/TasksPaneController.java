package dev.controlroom.ui.tasks;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** The task table of the selected task list. */
public final class TasksPaneController {
    private final TasksViewModel viewModel;

    @FXML
    private Label heading;
    @FXML
    private TableView<TaskRow> taskTable;
    @FXML
    private TableColumn<TaskRow, Integer> waveColumn;
    @FXML
    private TableColumn<TaskRow, String> keyColumn;
    @FXML
    private TableColumn<TaskRow, String> titleColumn;
    @FXML
    private TableColumn<TaskRow, String> statusColumn;
    @FXML
    private TableColumn<TaskRow, Integer> priorityColumn;
    @FXML
    private TableColumn<TaskRow, String> agentColumn;
    @FXML
    private TableColumn<TaskRow, String> dependsColumn;
    @FXML
    private TableColumn<TaskRow, String> workColumn;

    public TasksPaneController(TasksViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        heading.textProperty().bind(viewModel.headingProperty());
        taskTable.setItems(viewModel.rows());
        taskTable.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null && (viewModel.selectedProperty().get() == null
                    || viewModel.selectedProperty().get().task().id() != row.task().id())) {
                viewModel.selectedProperty().set(row);
            }
        });
        // A reload replaces the rows: keep the person's selection on the same task.
        viewModel.rows().addListener((javafx.collections.ListChangeListener<TaskRow>) change -> {
            TaskRow wanted = viewModel.selectedProperty().get();
            if (wanted != null) {
                viewModel.rows().stream().filter(r -> r.task().id() == wanted.task().id()).findFirst()
                        .ifPresent(r -> taskTable.getSelectionModel().select(r));
            }
        });
        taskTable.setPlaceholder(new Label("No tasks. Import a plan file (YAML or JSON) to fill this list."));
        taskTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        waveColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().wave()));
        keyColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().key()));
        titleColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().title()));
        statusColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().status()));
        statusColumn.setCellFactory(col -> new StatusCell());
        priorityColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().task().spec().priority()));
        agentColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().preference()));
        dependsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.join(", ", c.getValue().task().spec().dependsOn())));
        workColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().work()));
    }

    /** The status as a coloured word. */
    static final class StatusCell extends TableCell<TaskRow, String> {
        @Override
        protected void updateItem(String status, boolean empty) {
            super.updateItem(status, empty);
            getStyleClass().removeIf(c -> c.startsWith("task-status-"));
            if (empty || status == null) {
                setText(null);
                return;
            }
            setText(status);
            getStyleClass().add("task-status-" + status.replace(' ', '-').replace('_', '-'));
        }
    }
}
