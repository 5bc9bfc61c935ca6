package dev.controlroom.ui.detail;

import dev.controlroom.domain.Durations;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.ui.common.SelectedTaskControls;
import dev.controlroom.ui.common.TaskStatus;
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
import java.util.Optional;

/** The inspector's Task tab: binds to the view model's detail and the selected task's controls; buttons forward to them. */
public final class TaskDetailPaneController {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    /** Enough of a check's output to see why it failed; the terminal pane has all of it. */
    private static final int OUTPUT_EXCERPT = 4000;

    private final TaskDetailViewModel viewModel;
    private final SelectedTaskControls controls;

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

    public TaskDetailPaneController(TaskDetailViewModel viewModel, SelectedTaskControls controls) {
        this.viewModel = viewModel;
        this.controls = controls;
    }

    @FXML
    void initialize() {
        emptyLabel.managedProperty().bind(emptyLabel.visibleProperty());
        detailScroller.managedProperty().bind(detailScroller.visibleProperty());
        decisionBox.managedProperty().bind(decisionBox.visibleProperty());
        emptyLabel.visibleProperty().bind(viewModel.shownProperty().not());
        detailScroller.visibleProperty().bind(viewModel.shownProperty());
        keyLabel.textProperty().bind(viewModel.keyProperty());
        stateLabel.textProperty().bind(viewModel.stateProperty());
        viewModel.stateProperty().addListener((obs, old, state) -> TaskStatus.restyle(stateLabel.getStyleClass(), Optional.of(state)));
        titleLabel.textProperty().bind(viewModel.titleProperty());
        metaLabel.textProperty().bind(viewModel.metaProperty());
        decisionBox.visibleProperty().bind(viewModel.awaitsDecisionProperty());
        decisionLabel.textProperty().bind(viewModel.decisionProperty());
        attemptsTitle.textProperty().bind(viewModel.attemptsTitleProperty());
        retryButton.disableProperty().bind(controls.canRetryProperty().not());
        skipButton.disableProperty().bind(controls.canSkipProperty().not());
        cancelButton.disableProperty().bind(controls.canCancelProperty().not());
        reassignButton.disableProperty().bind(controls.canReassignProperty().not());
        verifyButton.disableProperty().bind(controls.canVerifyProperty().not());
        terminateButton.disableProperty().bind(controls.canTerminateProperty().not());
        reassignButton.setOnShowing(e -> reassignButton.getItems().setAll(controls.activeAgents().stream().map(agent -> {
            MenuItem item = new MenuItem(agent.name());
            item.setOnAction(a -> controls.reassign(agent.name()));
            return item;
        }).toList()));
        viewModel.detailProperty().addListener((obs, old, now) -> now.ifPresent(this::show));
        viewModel.detailProperty().get().ifPresent(this::show);
    }

    @FXML
    void onRetry() {
        controls.retry();
    }

    @FXML
    void onSkip() {
        controls.skip();
    }

    @FXML
    void onCancel() {
        controls.cancel();
    }

    @FXML
    void onVerify() {
        controls.verify();
    }

    @FXML
    void onTerminate() {
        controls.terminate();
    }

    @FXML
    void onCancelRun() {
        controls.cancelRun();
    }

    /** The task's definition and attempts, as nodes: rebuilt from each loaded detail. */
    private void show(TaskDetailViewModel.Detail d) {
        showSpec(d.task().spec());
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
                + spec.timeout().map(t -> " · timeout " + Durations.human(t)).orElse(" · no timeout")));
        dev.controlroom.domain.Watchdog w = spec.watchdog();
        specBox.getChildren().add(line("Watchdog", w.silence().map(d -> d.isZero() ? "off" : "stuck after " + Durations.human(d) + " without progress")
                .orElse(spec.command().isPresent() ? "off for a command unless its task list sets a silence"
                        : "silence from the task list, the agent or its profile")
                + " · when stuck: " + w.onStuck().orElse(dev.controlroom.domain.Watchdog.Policy.RESTART).label()
                + " · on a repeated error: " + w.onRepeatedError().orElse(dev.controlroom.domain.Watchdog.Policy.HANDOFF).label()));
        spec.context().workingDir().or(() -> spec.context().repo()).ifPresent(dir -> specBox.getChildren().add(line("Directory", dir
                + spec.context().branch().map(b -> " @ " + b).orElse("") + (spec.context().worktree() ? " (own worktree)" : ""))));
    }

    private void showAttempts(TaskDetailViewModel.Detail d) {
        attemptsBox.getChildren().clear();
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
        String duration = Durations.human(Duration.between(s.startedAt(), s.endedAt().orElse(java.time.Instant.now())));
        String tokens = a.tokensText().isEmpty() ? "" : " · " + a.tokensText();
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
                    + Durations.human(Duration.ofMillis(check.durationMs())), readOnly(excerpt(check.output()), "qa-output"));
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
}
