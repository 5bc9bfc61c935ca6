package dev.controlroom.ui;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.TaskState;
import dev.controlroom.store.WriteHealth;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressIndicator;
import javafx.util.StringConverter;

/** The frame around the panes: toolbar and status bar. Binds and forwards; decides nothing. */
public final class MainWindowController {
    private final MainViewModel viewModel;
    private final String version;

    @FXML
    private ComboBox<PlanSummary> planChooser;
    @FXML
    private ProgressIndicator loadingIndicator;
    @FXML
    private Button refreshButton;
    @FXML
    private Button themeButton;
    @FXML
    private Button runButton;
    @FXML
    private Button pauseButton;
    @FXML
    private Button resumeButton;
    @FXML
    private Button stopButton;
    @FXML
    private Label runLabel;
    @FXML
    private Label errorLabel;
    @FXML
    private Label statusLabel;
    @FXML
    private Label databaseLabel;
    @FXML
    private Label apiLabel;
    @FXML
    private Label versionLabel;
    @FXML
    private Label writeHealthBanner;

    public MainWindowController(MainViewModel viewModel, String version) {
        this.viewModel = viewModel;
        this.version = version;
    }

    @FXML
    void initialize() {
        planChooser.setItems(viewModel.plans());
        planChooser.valueProperty().bindBidirectional(viewModel.selectedPlanProperty());
        StringConverter<PlanSummary> names = new StringConverter<>() {
            @Override
            public String toString(PlanSummary p) {
                return p == null ? "" : p.name() + "  ·  " + p.taskCount() + " task" + (p.taskCount() == 1 ? "" : "s");
            }

            @Override
            public PlanSummary fromString(String s) {
                throw new UnsupportedOperationException("task lists are chosen, not typed");
            }
        };
        planChooser.setConverter(names);
        planChooser.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(PlanSummary item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? "No task list yet" : names.toString(item));
            }
        });
        loadingIndicator.visibleProperty().bind(viewModel.loadingProperty());
        refreshButton.disableProperty().bind(viewModel.loadingProperty());
        themeButton.textProperty().bind(viewModel.themeProperty().map(t -> t == Theme.DARK ? "Light theme" : "Dark theme"));
        statusLabel.textProperty().bind(viewModel.statusTextProperty());
        databaseLabel.textProperty().bind(viewModel.databaseTextProperty().map(p -> "Database: " + p));
        apiLabel.textProperty().bind(viewModel.apiTextProperty());
        apiLabel.setTooltip(new javafx.scene.control.Tooltip("The local API (bearer token: the file api-token beside the database)"));
        versionLabel.setText("v" + version);
        var state = viewModel.lastRunProperty().map(r -> r.map(RunSummary::state).orElse(null));
        runButton.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> viewModel.selectedPlanProperty().get() == null
                || viewModel.lastRunProperty().get().map(r -> !r.state().isFinished() && r.state() != RunState.INTERRUPTED).orElse(false),
                viewModel.selectedPlanProperty(), viewModel.lastRunProperty()));
        pauseButton.disableProperty().bind(state.map(s -> s != RunState.RUNNING).orElse(true));
        resumeButton.disableProperty().bind(state.map(s -> s != RunState.PAUSED && s != RunState.INTERRUPTED).orElse(true));
        stopButton.disableProperty().bind(state.map(s -> s != RunState.RUNNING && s != RunState.PAUSED).orElse(true));
        runLabel.textProperty().bind(viewModel.lastRunProperty().map(r -> r.map(run -> run.state().id() + " · "
                + (run.count(TaskState.SUCCEEDED) + run.count(TaskState.SKIPPED)) + "/" + run.total() + " done").orElse("")));
        errorLabel.textProperty().bind(viewModel.actionErrorProperty());
        WriteHealthViewModel health = viewModel.writeHealth();
        writeHealthBanner.textProperty().bind(health.textProperty());
        writeHealthBanner.visibleProperty().bind(health.textProperty().isNotEmpty());
        writeHealthBanner.managedProperty().bind(writeHealthBanner.visibleProperty());
        health.conditionProperty().subscribe(c -> {
            for (WriteHealth.Condition each : WriteHealth.Condition.values()) {
                writeHealthBanner.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass(each.id()), each == c);
            }
        });
    }

    @FXML
    void onRun() {
        viewModel.startSelectedPlan();
    }

    @FXML
    void onPause() {
        viewModel.pauseRun();
    }

    @FXML
    void onResume() {
        viewModel.resumeRun();
    }

    @FXML
    void onStop() {
        viewModel.stopRun();
    }

    @FXML
    void onRefresh() {
        viewModel.refresh();
    }

    @FXML
    void onToggleTheme() {
        viewModel.toggleTheme();
    }
}
