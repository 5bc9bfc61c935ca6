package dev.controlroom.ui.tasks;

import dev.controlroom.domain.Failures;
import dev.controlroom.plan.PlanProblem;
import dev.controlroom.ui.common.SelectedTaskControls;
import dev.controlroom.ui.common.TaskDrag;
import dev.controlroom.ui.common.TaskRow;
import dev.controlroom.ui.common.TaskStatus;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DataFormat;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The tasks of the selected list as a filtered table or a board; editing, import and export. */
public final class TasksPaneController {
    private static final KeyCombination TOGGLE_BOARD = new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination NEW_TASK = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);

    private final TasksViewModel viewModel;
    private final TaskListActions actions;
    private final SelectedTaskControls controls;

    @FXML
    private Label heading;
    @FXML
    private Button newTaskButton;
    @FXML
    private Button editTaskButton;
    @FXML
    private Button deleteTaskButton;
    @FXML
    private MenuButton listMenu;
    @FXML
    private MenuItem exportItem;
    @FXML
    private ToggleGroup viewGroup;
    @FXML
    private ToggleButton tableToggle;
    @FXML
    private ToggleButton boardToggle;
    @FXML
    private FlowPane filterBar;
    @FXML
    private TextField textFilter;
    @FXML
    private ComboBox<String> statusFilter;
    @FXML
    private ComboBox<String> priorityFilter;
    @FXML
    private ComboBox<String> waveFilter;
    @FXML
    private ComboBox<String> laneFilter;
    @FXML
    private ComboBox<String> agentFilter;
    @FXML
    private Button clearFiltersButton;
    @FXML
    private Label taskCountLabel;
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
    private TableColumn<TaskRow, String> laneColumn;
    @FXML
    private TableColumn<TaskRow, String> agentColumn;
    @FXML
    private TableColumn<TaskRow, String> dependsColumn;
    @FXML
    private TableColumn<TaskRow, String> workColumn;
    @FXML
    private ScrollPane boardScroller;
    @FXML
    private HBox board;

    public TasksPaneController(TasksViewModel viewModel, TaskListActions actions, SelectedTaskControls controls) {
        this.viewModel = viewModel;
        this.actions = actions;
        this.controls = controls;
    }

    @FXML
    void initialize() {
        heading.textProperty().bind(viewModel.headingProperty());
        taskCountLabel.textProperty().bind(viewModel.countTextProperty());
        bindFilters();
        bindTable();
        bindBoard();
        newTaskButton.disableProperty().bind(actions.listChosenProperty().not());
        exportItem.disableProperty().bind(actions.listChosenProperty().not());
        editTaskButton.disableProperty().bind(viewModel.selectedProperty().isNull());
        deleteTaskButton.disableProperty().bind(viewModel.selectedProperty().isNull());
        tableToggle.selectedProperty().addListener((obs, old, on) -> viewModel.boardShownProperty().set(!on));
        boardToggle.selectedProperty().addListener((obs, old, on) -> viewModel.boardShownProperty().set(on));
        viewModel.boardShownProperty().addListener((obs, old, on) -> {
            (on ? boardToggle : tableToggle).setSelected(true);
            taskTable.setVisible(!on);
            boardScroller.setVisible(on);
        });
        // A toggle group lets a click deselect the chosen button: keep one view chosen.
        viewGroup.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null && old != null) {
                old.setSelected(true);
            }
        });
        heading.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(TOGGLE_BOARD, () -> viewModel.boardShownProperty().set(!viewModel.boardShownProperty().get()));
                scene.getAccelerators().put(NEW_TASK, this::onNewTask);
            }
        });
    }

    // ---------------------------------------------------------------------------------- filters

    private void bindFilters() {
        textFilter.textProperty().bindBidirectional(viewModel.textFilterProperty());
        combo(statusFilter, viewModel.statusChoices(), viewModel.statusFilterProperty(), "Status");
        combo(priorityFilter, viewModel.priorityChoices(), viewModel.priorityFilterProperty(), "Priority");
        combo(waveFilter, viewModel.waveChoices(), viewModel.waveFilterProperty(), "Wave");
        combo(laneFilter, viewModel.laneChoices(), viewModel.laneFilterProperty(), "Lane");
        combo(agentFilter, viewModel.agentChoices(), viewModel.agentFilterProperty(), "Agent");
        laneFilter.visibleProperty().bind(Bindings.size(viewModel.laneChoices()).greaterThan(1));
        laneFilter.managedProperty().bind(laneFilter.visibleProperty());
        clearFiltersButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !viewModel.filtering(),
                viewModel.statusFilterProperty(), viewModel.priorityFilterProperty(), viewModel.waveFilterProperty(),
                viewModel.laneFilterProperty(), viewModel.agentFilterProperty(), viewModel.textFilterProperty()));
    }

    /** A filter combo whose closed face says what it filters: "Status: any", "Wave: 2". */
    private static void combo(ComboBox<String> box, javafx.collections.ObservableList<String> choices,
                              javafx.beans.property.ObjectProperty<String> value, String name) {
        box.setItems(choices);
        box.valueProperty().bindBidirectional(value);
        box.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(name + ": " + (empty || item == null ? TasksViewModel.ANY : item));
            }
        });
        box.getStyleClass().add("filter-combo");
    }

    @FXML
    void onClearFilters() {
        viewModel.clearFilters();
    }

    // ---------------------------------------------------------------------------------- table

    private void bindTable() {
        SortedList<TaskRow> sorted = new SortedList<>(viewModel.visibleRows());
        sorted.comparatorProperty().bind(taskTable.comparatorProperty());
        taskTable.setItems(sorted);
        taskTable.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null && !sameTask(viewModel.selectedProperty().get(), row)) {
                viewModel.selectedProperty().set(row);
            }
        });
        // A reload replaces the rows, and the board or another pane may select: follow the selected task.
        sorted.addListener((ListChangeListener<TaskRow>) change -> selectInTable(viewModel.selectedProperty().get()));
        viewModel.selectedProperty().addListener((obs, old, row) -> selectInTable(row));
        taskTable.placeholderProperty().bind(Bindings.createObjectBinding(this::placeholder, viewModel.rows(), actions.listChosenProperty()));
        taskTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        waveColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().wave()));
        keyColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().key()));
        titleColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().title()));
        statusColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().status()));
        statusColumn.setCellFactory(col -> new StatusCell());
        priorityColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().task().spec().priority()));
        laneColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().lane()));
        laneColumn.visibleProperty().bind(Bindings.size(viewModel.laneChoices()).greaterThan(1));
        agentColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().preference()));
        dependsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.join(", ", c.getValue().task().spec().dependsOn())));
        workColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().work()));
        taskTable.setRowFactory(table -> {
            TableRow<TaskRow> row = new TableRow<>();
            row.setOnDragDetected(e -> {
                if (!row.isEmpty()) {
                    startTaskDrag(row, row.getItem(), false);
                    e.consume();
                }
            });
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    edit(row.getItem());
                }
            });
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((ContextMenu) null).otherwise(taskMenu()));
            return row;
        });
        taskTable.setOnKeyPressed(e -> {
            TaskRow row = taskTable.getSelectionModel().getSelectedItem();
            if (row != null && e.getCode() == KeyCode.ENTER) {
                edit(row);
            } else if (row != null && e.getCode() == KeyCode.DELETE) {
                delete(row);
            }
        });
    }

    private Node placeholder() {
        if (!actions.listChosenProperty().get()) {
            return emptyState("No task list yet. Use List ▸ New task list or Import plan (YAML or JSON) to start.", Optional.empty());
        }
        if (viewModel.rows().isEmpty()) {
            return emptyState("This task list has no tasks. Add one with New task (Ctrl+N) or import a plan file.", Optional.empty());
        }
        return emptyState("No task matches the filters.", Optional.of(this::onClearFilters));
    }

    private static Node emptyState(String text, Optional<Runnable> clear) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.getStyleClass().add("empty-state");
        VBox box = new VBox(8, label);
        box.setAlignment(javafx.geometry.Pos.CENTER);
        box.getStyleClass().add("tasks-empty");
        clear.ifPresent(action -> {
            Button button = new Button("Clear filters");
            button.getStyleClass().add("small");
            button.setOnAction(e -> action.run());
            box.getChildren().add(button);
        });
        return box;
    }

    private void selectInTable(TaskRow wanted) {
        if (wanted == null) {
            return;
        }
        TaskRow current = taskTable.getSelectionModel().getSelectedItem();
        if (current == wanted) {
            return;
        }
        taskTable.getItems().stream().filter(r -> r.task().id() == wanted.task().id()).findFirst()
                .ifPresent(r -> taskTable.getSelectionModel().select(r));
    }

    private static boolean sameTask(TaskRow a, TaskRow b) {
        return a != null && b != null && a.task().id() == b.task().id();
    }

    /** Carries the task's key, for any pane that takes a dropped task (agents, board columns). */
    private void startTaskDrag(Node source, TaskRow row, boolean move) {
        Dragboard board = source.startDragAndDrop(move ? TransferMode.COPY_OR_MOVE : TransferMode.ANY);
        ClipboardContent content = new ClipboardContent();
        content.put(TaskDrag.FORMAT, row.key());
        content.put(DataFormat.PLAIN_TEXT, row.key());
        board.setContent(content);
        board.setDragView(source.snapshot(null, null));
    }

    /** The per-task menu of the table and the board: editing here, run controls from the detail pane's model. */
    private ContextMenu taskMenu() {
        MenuItem edit = new MenuItem("Edit task…");
        edit.setOnAction(e -> selected().ifPresent(this::edit));
        MenuItem delete = new MenuItem("Delete task…");
        delete.setOnAction(e -> selected().ifPresent(this::delete));
        MenuItem retry = new MenuItem("Retry");
        retry.setOnAction(e -> controls.retry());
        retry.disableProperty().bind(controls.canRetryProperty().not());
        MenuItem skip = new MenuItem("Skip");
        skip.setOnAction(e -> controls.skip());
        skip.disableProperty().bind(controls.canSkipProperty().not());
        MenuItem cancel = new MenuItem("Cancel");
        cancel.setOnAction(e -> controls.cancel());
        cancel.disableProperty().bind(controls.canCancelProperty().not());
        MenuItem verify = new MenuItem("Trigger QA");
        verify.setOnAction(e -> controls.verify());
        verify.disableProperty().bind(controls.canVerifyProperty().not());
        MenuItem terminate = new MenuItem("Terminate session");
        terminate.setOnAction(e -> controls.terminate());
        terminate.disableProperty().bind(controls.canTerminateProperty().not());
        Menu reassign = new Menu("Reassign to");
        reassign.disableProperty().bind(Bindings.isEmpty(reassign.getItems()).or(controls.canReassignProperty().not()));
        ContextMenu menu = new ContextMenu(edit, delete, new SeparatorMenuItem(), retry, skip, cancel, reassign, verify, terminate);
        menu.setOnShowing(e -> reassign.getItems().setAll(controls.activeAgents().stream().map(agent -> {
            MenuItem item = new MenuItem(agent.name() + " (" + agent.profile().id() + ")");
            item.setOnAction(a -> controls.reassign(agent.name()));
            return item;
        }).toList()));
        return menu;
    }

    private Optional<TaskRow> selected() {
        return Optional.ofNullable(viewModel.selectedProperty().get());
    }

    // ---------------------------------------------------------------------------------- board

    private void bindBoard() {
        viewModel.board().addListener((ListChangeListener<BoardColumn.Cards>) change -> showBoard());
        viewModel.selectedProperty().addListener((obs, old, row) -> markSelectedCard());
        showBoard();
    }

    private void showBoard() {
        board.getChildren().setAll(viewModel.board().stream().map(c -> column(c.column(), c.cards())).toList());
        markSelectedCard();
    }

    private VBox column(BoardColumn column, List<TaskRow> cards) {
        Label title = new Label(column.title());
        title.getStyleClass().add("board-column-title");
        Label count = new Label(String.valueOf(cards.size()));
        count.getStyleClass().add("board-column-count");
        HBox header = new HBox(6, title, count);
        header.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox list = new VBox(6);
        list.getStyleClass().add("board-cards");
        for (TaskRow row : cards) {
            list.getChildren().add(card(row, cards));
        }
        if (cards.isEmpty()) {
            Label none = new Label("—");
            none.getStyleClass().add("board-empty");
            list.getChildren().add(none);
        }
        ScrollPane scroller = new ScrollPane(list);
        scroller.setFitToWidth(true);
        scroller.getStyleClass().add("board-column-scroller");
        VBox.setVgrow(scroller, Priority.ALWAYS);
        VBox box = new VBox(6, header, scroller);
        box.setId("board-column-" + column.id());
        box.getStyleClass().addAll("board-column", "board-column-" + column.id());
        // Dropping below the last card moves the dragged card to the end of its column.
        list.setOnDragOver(e -> {
            if (draggedFrom(e.getDragboard(), cards).isPresent()) {
                e.acceptTransferModes(TransferMode.MOVE);
            }
            e.consume();
        });
        list.setOnDragDropped(e -> {
            Optional<TaskRow> dragged = draggedFrom(e.getDragboard(), cards);
            dragged.ifPresent(d -> actions.moveCard(cards, d, cards.size()));
            e.setDropCompleted(dragged.isPresent());
            e.consume();
        });
        return box;
    }

    private VBox card(TaskRow row, List<TaskRow> columnCards) {
        Label key = new Label(row.key());
        key.getStyleClass().add("board-card-key");
        Label status = new Label(row.status());
        status.getStyleClass().addAll("board-card-status", TaskStatus.styleClass(row.status()));
        HBox top = new HBox(6, key, status);
        Label title = new Label(row.title());
        title.setWrapText(true);
        title.getStyleClass().add("board-card-title");
        Label meta = new Label(row.preference() + " · P" + row.task().spec().priority() + " · wave " + row.wave()
                + (row.lane().isEmpty() ? "" : " · " + row.lane()));
        meta.getStyleClass().add("board-card-meta");
        VBox card = new VBox(3, top, title, meta);
        card.setId("board-card-" + row.key());
        card.getStyleClass().addAll("board-card", TaskStatus.styleClass(row.status()));
        card.setUserData(row);
        card.setOnMouseClicked(e -> {
            viewModel.selectedProperty().set(row);
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                edit(row);
            }
        });
        card.setOnContextMenuRequested(e -> {
            viewModel.selectedProperty().set(row);
            taskMenu().show(card, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        card.setOnDragDetected(e -> {
            startTaskDrag(card, row, true);
            e.consume();
        });
        card.setOnDragOver(e -> {
            if (draggedFrom(e.getDragboard(), columnCards).filter(d -> d != row).isPresent()) {
                e.acceptTransferModes(TransferMode.MOVE);
                card.pseudoClassStateChanged(DROP_ABOVE, e.getY() < card.getHeight() / 2);
                card.pseudoClassStateChanged(DROP_BELOW, e.getY() >= card.getHeight() / 2);
            }
            e.consume();
        });
        card.setOnDragExited(e -> {
            card.pseudoClassStateChanged(DROP_ABOVE, false);
            card.pseudoClassStateChanged(DROP_BELOW, false);
        });
        card.setOnDragDropped(e -> {
            Optional<TaskRow> dragged = draggedFrom(e.getDragboard(), columnCards).filter(d -> d != row);
            dragged.ifPresent(d -> {
                int target = columnCards.indexOf(row) + (e.getY() < card.getHeight() / 2 ? 0 : 1);
                actions.moveCard(columnCards, d, target);
            });
            e.setDropCompleted(dragged.isPresent());
            e.consume();
        });
        return card;
    }

    private static final javafx.css.PseudoClass DROP_ABOVE = javafx.css.PseudoClass.getPseudoClass("drop-above");
    private static final javafx.css.PseudoClass DROP_BELOW = javafx.css.PseudoClass.getPseudoClass("drop-below");
    private static final javafx.css.PseudoClass SELECTED = javafx.css.PseudoClass.getPseudoClass("selected");

    /** The dragged task when it is one of this column's cards: a card only moves within its own column. */
    private static Optional<TaskRow> draggedFrom(Dragboard board, List<TaskRow> cards) {
        if (!board.hasContent(TaskDrag.FORMAT)) {
            return Optional.empty();
        }
        Object key = board.getContent(TaskDrag.FORMAT);
        return cards.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    private void markSelectedCard() {
        TaskRow wanted = viewModel.selectedProperty().get();
        board.lookupAll(".board-card").forEach(n -> n.pseudoClassStateChanged(SELECTED,
                wanted != null && n.getUserData() instanceof TaskRow r && r.task().id() == wanted.task().id()));
    }

    // ---------------------------------------------------------------------------------- editing

    @FXML
    void onNewTask() {
        if (!actions.listChosenProperty().get()) {
            return;
        }
        refuseOr(() -> TaskEditorController.open(window(), actions, Optional.empty()));
    }

    @FXML
    void onEditTask() {
        selected().ifPresent(this::edit);
    }

    @FXML
    void onDeleteTask() {
        selected().ifPresent(this::delete);
    }

    private void edit(TaskRow row) {
        refuseOr(() -> TaskEditorController.open(window(), actions, Optional.of(row)));
    }

    private void delete(TaskRow row) {
        refuseOr(() -> {
            Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "Delete task " + row.key() + " (" + row.title()
                    + ")? Its sessions, output and checks in earlier runs are deleted with it.", ButtonType.OK, ButtonType.CANCEL);
            confirm.setHeaderText("Delete task " + row.key());
            style(confirm);
            confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> actions.deleteTask(row)
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            error("Could not delete " + row.key(), Failures.rootMessage(error));
                        }
                    }));
        });
    }

    /** Runs {@code edit} unless the list cannot be edited now; then says why. */
    private void refuseOr(Runnable edit) {
        actions.editRefusal().ifPresentOrElse(why -> error("This task list cannot be edited now", why), edit);
    }

    @FXML
    void onNewList() {
        TextInputDialog ask = new TextInputDialog("New task list");
        ask.setTitle("New task list");
        ask.setHeaderText("Name of the new task list");
        style(ask);
        ask.showAndWait().ifPresent(name -> actions.newTaskList(name).whenComplete((plan, error) -> {
            if (error != null) {
                error("Could not create the task list", Failures.rootMessage(error));
            }
        }));
    }

    @FXML
    void onImport() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import a plan");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Plan files", "*.yaml", "*.yml", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            importPlan(file.toPath());
        }
    }

    /** Imports {@code file}; a bad plan opens a dialog listing every problem. Public for the command palette and tests. */
    public void importPlan(Path file) {
        actions.importPlan(file).whenComplete((outcome, error) -> {
            if (error != null) {
                error("Could not import " + file.getFileName(), Failures.rootMessage(error));
            } else if (!outcome.problems().isEmpty()) {
                problems(file, outcome.problems());
            }
        });
    }

    @FXML
    void onExport() {
        Optional<String> list = actions.listName();
        if (list.isEmpty()) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the task list as a plan");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("YAML", "*.yaml", "*.yml"),
                new FileChooser.ExtensionFilter("JSON", "*.json"));
        chooser.setInitialFileName(list.get().replaceAll("[^A-Za-z0-9_.-]+", "-") + ".yaml");
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            actions.exportPlan(file.toPath()).whenComplete((path, error) -> {
                if (error != null) {
                    error("Could not export the task list", Failures.rootMessage(error));
                }
            });
        }
    }

    private void problems(Path file, List<PlanProblem> problems) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.setTitle("Plan not imported");
        alert.setHeaderText(file.getFileName() + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "; nothing was stored");
        TextArea list = new TextArea(String.join("\n", problems.stream().map(PlanProblem::toString).toList()));
        list.setEditable(false);
        list.setWrapText(true);
        list.setPrefRowCount(Math.min(14, problems.size() + 1));
        list.setId("importProblems");
        list.getStyleClass().add("import-problems");
        alert.getDialogPane().setContent(list);
        alert.setResizable(true);
        style(alert);
        alert.show();
    }

    private void error(String header, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        alert.setHeaderText(header);
        style(alert);
        alert.show();
    }

    /** Dialogs get the window's stylesheets and owner, so they follow the theme. */
    private void style(javafx.scene.control.Dialog<?> dialog) {
        Window owner = window();
        if (owner != null) {
            dialog.initOwner(owner);
            dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            dialog.getDialogPane().getStyleClass().addAll(owner.getScene().getRoot().getStyleClass().filtered(c -> c.startsWith("theme-")));
        }
    }

    private Window window() {
        return heading.getScene() == null ? null : heading.getScene().getWindow();
    }

    /** The status as a coloured word. */
    static final class StatusCell extends TableCell<TaskRow, String> {
        @Override
        protected void updateItem(String status, boolean empty) {
            super.updateItem(status, empty);
            Optional<String> shown = empty ? Optional.empty() : Optional.ofNullable(status);
            setText(shown.orElse(null));
            TaskStatus.restyle(getStyleClass(), shown);
        }
    }
}
