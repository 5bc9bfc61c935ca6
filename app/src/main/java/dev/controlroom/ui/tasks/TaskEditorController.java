package dev.controlroom.ui.tasks;

import dev.controlroom.domain.Failures;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.ui.common.TaskRow;
import dev.controlroom.ui.common.View;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxListCell;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The task editor dialog: binds the form to its view model; saving stays open on errors and says why. */
public final class TaskEditorController {
    private final TaskEditorViewModel viewModel;

    @FXML
    private TextField titleField;
    @FXML
    private TextField keyField;
    @FXML
    private TextField priorityField;
    @FXML
    private RadioButton commandKind;
    @FXML
    private RadioButton promptKind;
    @FXML
    private Label workLabel;
    @FXML
    private TextArea workArea;
    @FXML
    private ComboBox<String> agentChoice;
    @FXML
    private ComboBox<String> profileChoice;
    @FXML
    private CheckBox pinnedBox;
    @FXML
    private CheckBox criticalBox;
    @FXML
    private ComboBox<String> laneChoice;
    @FXML
    private TextField timeoutField;
    @FXML
    private TextField silenceField;
    @FXML
    private TextField attemptsField;
    @FXML
    private ListView<TaskEditorViewModel.Dependency> dependencyList;
    @FXML
    private Label dependencyMessage;
    @FXML
    private TextArea verifyArea;
    @FXML
    private TextField workingDirField;
    @FXML
    private TextField repoField;
    @FXML
    private TextField branchField;
    @FXML
    private CheckBox worktreeBox;
    @FXML
    private TextArea copyFilesArea;
    @FXML
    private TextArea setupArea;
    @FXML
    private TextArea envArea;
    @FXML
    private Label errorLabel;

    TaskEditorController(TaskEditorViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        titleField.textProperty().bindBidirectional(viewModel.titleProperty());
        keyField.textProperty().bindBidirectional(viewModel.keyProperty());
        priorityField.textProperty().bindBidirectional(viewModel.priorityProperty());
        (viewModel.shellCommandProperty().get() ? commandKind : promptKind).setSelected(true);
        commandKind.selectedProperty().addListener((obs, was, now) -> viewModel.shellCommandProperty().set(now));
        workLabel.textProperty().bind(viewModel.shellCommandProperty().map(shell -> shell ? "Command" : "Prompt"));
        workArea.promptTextProperty().bind(viewModel.shellCommandProperty().map(shell -> shell
                ? "The command line a shell agent runs, e.g. ./gradlew build"
                : "What the AI agent should do; a failed verification is fed back into the next iteration"));
        workArea.textProperty().bindBidirectional(viewModel.workProperty());
        agentChoice.setItems(viewModel.agentChoices());
        agentChoice.valueProperty().bindBidirectional(viewModel.agentProperty());
        profileChoice.setItems(viewModel.profileChoices());
        profileChoice.valueProperty().bindBidirectional(viewModel.profileProperty());
        pinnedBox.selectedProperty().bindBidirectional(viewModel.pinnedProperty());
        criticalBox.selectedProperty().bindBidirectional(viewModel.criticalProperty());
        laneChoice.setItems(viewModel.laneChoices());
        laneChoice.getEditor().textProperty().bindBidirectional(viewModel.laneProperty());
        timeoutField.textProperty().bindBidirectional(viewModel.timeoutProperty());
        silenceField.textProperty().bindBidirectional(viewModel.silenceProperty());
        silenceField.setTooltip(new javafx.scene.control.Tooltip("How long the agent may make no progress (no output, no file changed, "
                + "no process of its own running) before the watchdog acts; empty: the task list's or the agent's setting"));
        attemptsField.textProperty().bindBidirectional(viewModel.maxAttemptsProperty());
        dependencyList.setItems(viewModel.dependencies());
        dependencyList.setCellFactory(CheckBoxListCell.forListView(TaskEditorViewModel.Dependency::chosenProperty,
                new StringConverter<>() {
                    @Override
                    public String toString(TaskEditorViewModel.Dependency d) {
                        return d == null ? "" : d.key() + (d.title().equals(d.key()) ? "" : " — " + d.title());
                    }

                    @Override
                    public TaskEditorViewModel.Dependency fromString(String s) {
                        throw new UnsupportedOperationException("dependencies are chosen, not typed");
                    }
                }));
        dependencyList.setPlaceholder(new Label("No other task in this list yet."));
        dependencyMessage.textProperty().bind(viewModel.dependencyMessageProperty());
        dependencyMessage.managedProperty().bind(dependencyMessage.textProperty().isNotEmpty());
        verifyArea.textProperty().bindBidirectional(viewModel.verifyProperty());
        workingDirField.textProperty().bindBidirectional(viewModel.workingDirProperty());
        repoField.textProperty().bindBidirectional(viewModel.repoProperty());
        branchField.textProperty().bindBidirectional(viewModel.branchProperty());
        worktreeBox.selectedProperty().bindBidirectional(viewModel.worktreeProperty());
        copyFilesArea.textProperty().bindBidirectional(viewModel.copyFilesProperty());
        setupArea.textProperty().bindBidirectional(viewModel.setupProperty());
        envArea.textProperty().bindBidirectional(viewModel.envProperty());
        errorLabel.textProperty().bind(viewModel.errorsProperty());
        errorLabel.managedProperty().bind(errorLabel.textProperty().isNotEmpty());
    }

    /** Opens the editor for a new task (empty {@code row}) or for {@code row}'s task. */
    static Dialog<ButtonType> open(Window owner, TaskListActions actions, Optional<TaskRow> row) {
        Optional<StoredTask> task = row.map(TaskRow::task);
        TaskEditorViewModel viewModel = actions.editor(row);
        FXMLLoader loader = new FXMLLoader(View.TASK_EDITOR.url());
        loader.setControllerFactory(type -> new TaskEditorController(viewModel));
        Node form;
        try {
            form = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the task editor: " + e.getMessage(), e);
        }
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.setTitle(task.map(t -> "Edit task " + t.key()).orElse("New task"));
        dialog.setHeaderText(task.map(t -> "Edit task " + t.key()).orElse("New task in " + actions.listName().orElse("")));
        dialog.setResizable(true);
        ButtonType save = new ButtonType(task.isPresent() ? "Save" : "Create", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        dialog.getDialogPane().setContent(form);
        dialog.getDialogPane().setId("taskEditor");
        if (owner != null) {
            dialog.initOwner(owner);
            dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        Node saveButton = dialog.getDialogPane().lookupButton(save);
        saveButton.setId("saveTaskButton");
        // Saving goes to the database off the FX thread: keep the dialog until it is stored, and open on any error.
        saveButton.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            saveButton.setDisable(true);
            viewModel.save().whenComplete((saved, error) -> {
                saveButton.setDisable(false);
                if (error == null) {
                    dialog.setResult(save);
                    dialog.close();
                } else {
                    viewModel.showError(Failures.rootMessage(error));
                }
            });
        });
        dialog.show();
        return dialog;
    }
}
