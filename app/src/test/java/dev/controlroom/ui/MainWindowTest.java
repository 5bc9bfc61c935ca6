package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.TaskRow;
import javafx.application.Application;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    private Path dir;
    private ControlRoom room;
    private Store store;
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("cr-ui");
        room = ControlRoom.open(dir.resolve("test.db"));
        store = room.store();
        viewModel = new DesktopApp(store, room.orchestrator(), room.background(), "test").show(stage);
    }

    @AfterEach
    void close() {
        room.close();
    }

    private void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition);
    }

    @Test
    void windowShowsTheSeededRosterTheSamplePlanAndItsWaves(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        WaitForAsyncUtils.waitForFxEvents();

        ListView<dev.controlroom.ui.agents.AgentView> agents = robot.lookup("#agentList").queryListView();
        assertEquals("shell-1", agents.getItems().getFirst().name());
        TableView<TaskRow> tasks = robot.lookup("#taskTable").queryTableView();
        assertEquals(List.of("hello", "machine", "count", "report", "summary"), tasks.getItems().stream().map(TaskRow::key).toList());
        assertEquals(List.of(0, 0, 1, 2, 3), tasks.getItems().stream().map(TaskRow::wave).toList());
        HBox lanes = robot.lookup("#lanes").queryAs(HBox.class);
        assertEquals(4, lanes.getChildren().size());
        assertTrue(robot.lookup("#wave-task-report").tryQuery().isPresent());
        ListView<?> events = robot.lookup("#eventList").queryListView();
        assertEquals(1, events.getItems().size());
        assertTrue(robot.lookup(".status-text").queryAs(Label.class).getText().startsWith("1 active agent · 1 task list · 5 tasks"));
    }

    @Test
    void themeButtonSwitchesToLightAndTheChoiceIsRemembered(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        assertEquals(Theme.DARK.stylesheet(), Application.getUserAgentStylesheet());

        robot.clickOn("#themeButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(Theme.LIGHT.stylesheet(), Application.getUserAgentStylesheet());
        assertEquals("Dark theme", robot.lookup("#themeButton").queryButton().getText());
        waitUntil(() -> store.settings().get(MainViewModel.THEME_KEY).equals(Optional.of("light")));
    }

    @Test
    void choosingAnotherTaskListShowsItsTasksAndWaves(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        store.plans().importPlan(new PlanReader(Set.of()).parse("""
                name: second
                tasks:
                  - { id: one, command: 'true' }
                  - { id: two, command: 'true', depends_on: [one] }
                """, PlanReader.Format.YAML, "second.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null));
        robot.type(javafx.scene.input.KeyCode.F5);
        ComboBox<PlanSummary> chooser = robot.lookup("#planChooser").queryComboBox();
        waitUntil(() -> chooser.getItems().size() == 2);

        robot.interact(() -> chooser.getSelectionModel().select(chooser.getItems().stream()
                .filter(p -> p.name().equals("second")).findFirst().orElseThrow()));
        TableView<TaskRow> tasks = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> tasks.getItems().size() == 2);

        assertEquals(List.of("one", "two"), tasks.getItems().stream().map(TaskRow::key).toList());
        assertEquals(2, robot.lookup("#lanes").queryAs(HBox.class).getChildren().size());
    }

    @Test
    void tasksAndWavesShowTheStateOfTheNewestRun(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = store.plans().list().getFirst();
        var tasks = store.plans().tasksOf(plan.id());
        java.util.Map<Long, Integer> waves = new java.util.LinkedHashMap<>();
        java.util.Map<Long, dev.controlroom.domain.TaskState> states = new java.util.LinkedHashMap<>();
        tasks.forEach(t -> {
            waves.put(t.id(), 0);
            states.put(t.id(), t.key().equals("hello") ? dev.controlroom.domain.TaskState.SUCCEEDED
                    : t.key().equals("machine") ? dev.controlroom.domain.TaskState.FAILED : dev.controlroom.domain.TaskState.PENDING);
        });
        store.runs().commit(tx -> tx.createRun("run-ui-test", plan.id(),
                new dev.controlroom.domain.RunOptions(2, dev.controlroom.domain.WaveMode.DATAFLOW, "ui"), 1, waves, states));

        robot.type(javafx.scene.input.KeyCode.F5);
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> table.getItems().stream().anyMatch(r -> r.status().equals("succeeded")));

        assertEquals(List.of("succeeded", "failed", "pending", "pending", "pending"), table.getItems().stream().map(TaskRow::status).toList());
        waitUntil(() -> robot.lookup("#wave-task-hello").tryQuery()
                .map(n -> n.getStyleClass().contains("task-status-succeeded")).orElse(false));
        assertTrue(robot.lookup(".status-text").queryAs(Label.class).getText().endsWith("last run run-ui-test: running"));
    }

    @Test
    void runButtonRunsTheSelectedTaskListAndThePanesFollowItLive(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        store.plans().importPlan(new PlanReader(Set.of()).parse("""
                name: quick
                tasks:
                  - { id: first, command: 'echo one' }
                  - { id: second, command: 'echo two', depends_on: [first] }
                """, PlanReader.Format.YAML, "quick.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null));
        robot.type(javafx.scene.input.KeyCode.F5);
        ComboBox<PlanSummary> chooser = robot.lookup("#planChooser").queryComboBox();
        waitUntil(() -> chooser.getItems().size() == 2);
        robot.interact(() -> chooser.getSelectionModel().select(chooser.getItems().stream()
                .filter(p -> p.name().equals("quick")).findFirst().orElseThrow()));
        TableView<TaskRow> tasks = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> tasks.getItems().size() == 2);

        robot.clickOn("#runButton");

        waitUntil(() -> tasks.getItems().stream().allMatch(r -> r.status().equals("succeeded")));
        waitUntil(() -> robot.lookup("#runLabel").queryAs(Label.class).getText().equals("succeeded · 2/2 done"));
        // The wave lanes are rebuilt on each reload: look for the box as it is after the last one.
        waitUntil(() -> robot.lookup("#wave-task-second").tryQuery()
                .map(n -> n.getStyleClass().contains("task-status-succeeded")).orElse(false));
        assertTrue(robot.lookup("#pauseButton").queryButton().isDisabled());
        assertTrue(!robot.lookup("#runButton").queryButton().isDisabled());

        // Selecting a task opens its terminal, which replays what its agent printed.
        robot.interact(() -> tasks.getSelectionModel().select(tasks.getItems().stream()
                .filter(r -> r.task().key().equals("second")).findFirst().orElseThrow()));
        waitUntil(() -> robot.lookup(".terminal-view").queryAll().stream()
                .map(n -> (dev.controlroom.ui.term.TerminalView) n).anyMatch(v -> v.visibleText().contains("two")));
        javafx.scene.control.TabPane terminals = robot.lookup(".logs-tabs").queryAs(javafx.scene.control.TabPane.class);
        waitUntil(() -> terminals.getSelectionModel().getSelectedItem() != null
                && terminals.getSelectionModel().getSelectedItem().getText().equals("shell-1 · second · exited"));
    }

    @Test
    void anAgentsQuestionIsAskedInADialogAndTheAnswerReachesItsTerminal(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        Path script = Files.writeString(dir.resolve("ask.sh"),
                "printf 'Proceed with the deploy? (y/n)\\n'\nread answer\necho \"got $answer\" > \"$(dirname \"$0\")/answer.txt\"\n");
        store.agents().hire(new dev.controlroom.domain.NewAgent("asker", Optional.empty(), dev.controlroom.domain.AgentProfile.CUSTOM,
                Optional.empty(), Optional.of("sh " + script + " {prompt}"), 1));
        room.orchestrator().rosterChanged();
        store.plans().importPlan(new PlanReader(Set.of("asker")).parse("""
                name: deploy
                tasks:
                  - { id: deploy, prompt: "Deploy it", agent: asker, pinned: true }
                """, PlanReader.Format.YAML, "deploy.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null));
        robot.type(javafx.scene.input.KeyCode.F5);
        ComboBox<PlanSummary> chooser = robot.lookup("#planChooser").queryComboBox();
        waitUntil(() -> chooser.getItems().stream().anyMatch(p -> p.name().equals("deploy")));
        robot.interact(() -> chooser.getSelectionModel().select(chooser.getItems().stream()
                .filter(p -> p.name().equals("deploy")).findFirst().orElseThrow()));
        waitUntil(() -> !robot.lookup("#runButton").queryButton().isDisabled());

        robot.clickOn("#runButton");
        waitUntil(() -> robot.lookup("#question-dialog").tryQuery().isPresent());
        javafx.scene.control.DialogPane pane = robot.lookup("#question-dialog").queryAs(javafx.scene.control.DialogPane.class);
        assertTrue(pane.getHeaderText().contains("Proceed with the deploy? (y/n)"), pane.getHeaderText());
        robot.interact(() -> {
            ((javafx.scene.control.TextField) pane.lookup(".text-field")).setText("yes");
            ((javafx.scene.control.Button) pane.lookupButton(javafx.scene.control.ButtonType.OK)).fire();
        });

        waitUntil(() -> Files.exists(dir.resolve("answer.txt")));
        assertEquals("got yes", Files.readString(dir.resolve("answer.txt")).strip());
        TableView<TaskRow> tasks = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> tasks.getItems().size() == 1 && tasks.getItems().getFirst().status().equals("succeeded"));
    }
}
