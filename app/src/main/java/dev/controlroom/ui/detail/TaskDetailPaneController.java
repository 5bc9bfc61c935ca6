package dev.controlroom.ui.detail;

import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.ui.MainViewModel;
import dev.controlroom.ui.tasks.TaskRow;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** The inspector's Task tab: rebuilt from the view model's detail on every refresh; buttons forward to it. */
public final class TaskDetailPaneController {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    /** Enough of a check's output to see why it failed; the terminal pane has all of it. */
    private static final int OUTPUT_EXCERPT = 4000;

    private final MainViewModel main;
    private final TaskDetailViewModel viewModel;

    @FXML
    private Label emptyLabel;
    @FXML
    private ScrollPane detailScroller;
    @FXML
    private VBox content;
    @FXML
    private Label keyLabel;
    @FXML
    private Label stateLabel;
    @FXML
    private Label titleLabel;
    @FXML
    private Label metaLabel;
    @FXML
    private VBox decisionBox;
    @FXML
    private Label decisionLabel;
    @FXML
    private Button retryButton;
    @FXML
    private Button skipButton;
    @FXML
    private Button cancelButton;
    @FXML
    private MenuButton reassignButton;
    @FXML
    private Button verifyButton;
    @FXML
    private Button terminateButton;
    @FXML
    private VBox specBox;
    @FXML
    private Label attemptsTitle;
    @FXML
    private VBox attemptsBox;

    public TaskDetailPaneController(MainViewModel main) {
        this.main = main;
        this.viewModel = main.taskDetail();
    }

    @FXML
    void initialize() {
        emptyLabel.managedProperty().bind(emptyLabel.visibleProperty());
        detailScroller.managedProperty().bind(detailScroller.visibleProperty());
        decisionBox.managedProperty().bind(decisionBox.visibleProperty());
        viewModel.detailProperty().addListener((obs, old, now) -> show(now));
        main.tasks().selectedProperty().addListener((obs, old, now) -> updateControls());
        main.lastRunProperty().addListener((obs, old, now) -> updateControls());
        main.tasks().rows().addListener((ListChangeListener<TaskRow>) c -> updateControls());
        reassignButton.setOnShowing(e -> reassignButton.getItems().setAll(viewModel.activeAgents().stream().map(name -> {
            MenuItem item = new MenuItem(name);
            item.setOnAction(a -> act(row -> viewModel.reassign(row, name)));
            return item;
        }).toList()));
        show(viewModel.detailProperty().get());
    }

    private Optional<TaskRow> selected() {
        return Optional.ofNullable(main.tasks().selectedProperty().get()).map(viewModel::current);
    }

    private void act(Consumer<TaskRow> action) {
        selected().ifPresent(action);
    }

    @FXML
    void onRetry() {
        act(viewModel::retry);
    }

    @FXML
    void onSkip() {
        act(viewModel::skip);
    }

    @FXML
    void onCancel() {
        act(viewModel::cancel);
    }

    @FXML
    void onVerify() {
        act(viewModel::verify);
    }

    @FXML
    void onTerminate() {
        act(viewModel::terminate);
    }

    @FXML
    void onCancelRun() {
        viewModel.cancelRun();
    }

    private void updateControls() {
        Optional<TaskRow> row = selected();
        retryButton.setDisable(row.map(r -> !viewModel.canRetry(r)).orElse(true));
        skipButton.setDisable(row.map(r -> !viewModel.canSkip(r)).orElse(true));
        cancelButton.setDisable(row.map(r -> !viewModel.canCancel(r)).orElse(true));
        reassignButton.setDisable(row.map(r -> !viewModel.canReassign(r)).orElse(true));
        verifyButton.setDisable(row.map(r -> !viewModel.canVerify(r)).orElse(true));
        terminateButton.setDisable(row.map(r -> !viewModel.canTerminate(r)).orElse(true));
    }

    private void show(Optional<TaskDetailViewModel.Detail> loaded) {
        emptyLabel.setVisible(loaded.isEmpty());
        detailScroller.setVisible(loaded.isPresent());
        updateControls();
        if (loaded.isEmpty()) {
            return;
        }
        TaskDetailViewModel.Detail d = loaded.get();
        TaskSpec spec = d.task().spec();
        keyLabel.setText(d.task().key());
        stateLabel.setText(d.state());
        stateLabel.getStyleClass().removeIf(c -> c.startsWith("task-status-"));
        stateLabel.getStyleClass().add("task-status-" + d.state().replace(' ', '-').replace('_', '-'));
        titleLabel.setText(spec.title());
        metaLabel.setText(String.join(" · ", List.of("agent " + d.agent().orElse("any"), "wave " + d.wave(), "priority " + spec.priority()))
                + spec.category().map(c -> " · lane " + c).orElse("") + (spec.critical() ? " · critical" : "")
                + d.run().map(r -> " · run " + r.id() + " (" + r.state().id() + ")").orElse(" · not run yet"));
        decisionBox.setVisible(d.awaitsDecision());
        decisionLabel.setText(d.awaitsDecision() ? "Critical task failed: " + d.runTask().flatMap(t -> t.reason()).orElse("no reason recorded")
                + ". The run is paused until you retry the task, skip it or cancel the run." : "");
        showSpec(spec);
        showAttempts(d);
    }

    private void showSpec(TaskSpec spec) {
        specBox.getChildren().clear();
        String kind = spec.command().isPresent() ? "Command" : "Prompt";
        TextArea work = readOnly(spec.command().or(spec::prompt).orElse(""), "detail-work");
        specBox.getChildren().addAll(field(kind), work);
        specBox.getChildren().add(line("Depends on", spec.dependsOn().isEmpty() ? "nothing (wave 0)" : String.join(", ", spec.dependsOn())));
        specBox.getChildren().add(line("Verify", spec.verify().isEmpty() ? "no verify commands: an attempt passes on exit code 0"
                : String.join("\n", spec.verify())));
        specBox.getChildren().add(line("Budgets", spec.maxAttempts() + " attempt" + (spec.maxAttempts() == 1 ? "" : "s")
                + spec.timeout().map(t -> " · timeout " + human(t)).orElse(" · no timeout")));
        spec.context().workingDir().or(() -> spec.context().repo()).ifPresent(dir -> specBox.getChildren().add(line("Directory", dir
                + spec.context().branch().map(b -> " @ " + b).orElse("") + (spec.context().worktree() ? " (own worktree)" : ""))));
    }

    private void showAttempts(TaskDetailViewModel.Detail d) {
        attemptsBox.getChildren().clear();
        attemptsTitle.setText("Attempts" + (d.attempts().isEmpty() ? "" : " (" + d.attempts().size() + ")") + d.run().map(r -> " in run " + r.id()).orElse(""));
        if (d.attempts().isEmpty()) {
            Label none = new Label(d.run().isEmpty() ? "The task list has not been run yet. Run it from the toolbar (Ctrl+Enter)."
                    : "No session of this task in the newest run yet.");
            none.setWrapText(true);
            none.getStyleClass().add("empty-state");
            attemptsBox.getChildren().add(none);
            return;
        }
        int number = 0;
        for (TaskDetailViewModel.Attempt a : d.attempts()) {
            number++;
            attemptsBox.getChildren().add(attempt(number, a, number == d.attempts().size()));
        }
    }

    private Node attempt(int number, TaskDetailViewModel.Attempt a, boolean newest) {
        SessionRecord s = a.session();
        String ended = s.exitCode().map(c -> "exit " + c).orElse(s.isOpen() ? "running" : s.status());
        String duration = human(Duration.between(s.startedAt(), s.endedAt().orElse(java.time.Instant.now())));
        String tokens = a.tokens().total() == 0 ? "" : " · " + String.format(Locale.ROOT, "%,d tokens", a.tokens().total())
                + a.cost().map(c -> String.format(Locale.ROOT, " · ~$%.4f est.", c)).orElse("");
        VBox body = new VBox(6);
        body.getChildren().add(line("Session", s.id() + " · " + s.status()));
        body.getChildren().add(line("Started", TIME.format(s.startedAt()) + " · " + duration));
        body.getChildren().add(line("Directory", s.workingDir() + s.branch().map(b -> " @ " + b).orElse("")));
        s.endReason().ifPresent(r -> body.getChildren().add(line("Ended", r)));
        for (IterationRecord it : a.iterations()) {
            body.getChildren().add(iteration(it));
        }
        TitledPane pane = new TitledPane("#" + number + " · " + a.agent().orElse("no agent") + " · " + ended + " · " + duration + tokens,
                body);
        pane.setExpanded(newest);
        pane.getStyleClass().addAll("attempt", "attempt-" + (s.exitCode().map(c -> c == 0).orElse(false) ? "ok" : s.isOpen() ? "open" : "bad"));
        return pane;
    }

    private Node iteration(IterationRecord it) {
        VBox box = new VBox(4);
        box.getStyleClass().addAll("iteration", "iteration-" + it.status());
        Label head = new Label("Iteration " + it.number() + " · " + verdict(it.status())
                + it.failureSummary().map(f -> " — " + f).orElse(""));
        head.setWrapText(true);
        head.getStyleClass().addAll("iteration-head", "verdict-" + it.status());
        box.getChildren().add(head);
        it.prompt().filter(p -> it.number() > 1 || p.startsWith("verification")).ifPresent(p -> {
            TitledPane prompt = new TitledPane("Prompt", readOnly(p, "iteration-prompt"));
            prompt.setExpanded(false);
            prompt.getStyleClass().add("iteration-prompt-pane");
            box.getChildren().add(prompt);
        });
        for (IterationRecord.Check check : it.checks()) {
            String exit = check.exitCode().map(c -> "exit " + c).orElse("timed out");
            TitledPane pane = new TitledPane((check.passed() ? "✔ " : "✘ ") + check.command() + " · " + exit + " · "
                    + human(Duration.ofMillis(check.durationMs())), readOnly(excerpt(check.output()), "qa-output"));
            pane.setExpanded(!check.passed());
            pane.getStyleClass().addAll("qa-check", check.passed() ? "qa-check-passed" : "qa-check-failed");
            box.getChildren().add(pane);
        }
        return box;
    }

    private static String verdict(String status) {
        return switch (status) {
            case "passed" -> "QA passed";
            case "failed" -> "QA failed";
            case "error" -> "attempt failed";
            case "interrupted" -> "interrupted";
            default -> status;
        };
    }

    /** The end of the output: that is where a build or test run says what went wrong. */
    private static String excerpt(String output) {
        if (output.isBlank()) {
            return "(no output)";
        }
        return output.length() <= OUTPUT_EXCERPT ? output : "…" + output.substring(output.length() - OUTPUT_EXCERPT);
    }

    private static TextArea readOnly(String text, String styleClass) {
        TextArea area = new TextArea(text);
        area.setEditable(false);
        area.setWrapText(true);
        // Wrapped lines need rows too: about 48 characters fit a row at the inspector's usual width.
        long rows = text.lines().mapToLong(l -> Math.max(1, (l.length() + 47) / 48)).sum();
        area.setPrefRowCount((int) Math.min(8, Math.max(1, rows)));
        area.getStyleClass().add(styleClass);
        return area;
    }

    private static Label field(String name) {
        Label label = new Label(name);
        label.getStyleClass().add("detail-field");
        return label;
    }

    private static Node line(String name, String value) {
        Label field = field(name);
        field.setMinWidth(74);
        Label text = new Label(value);
        text.setWrapText(true);
        text.getStyleClass().add("detail-value");
        HBox box = new HBox(8, field, text);
        return box;
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
