package dev.controlroom.ui.tasks;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;
import dev.controlroom.ui.DesktopApp;
import dev.controlroom.ui.MainViewModel;
import dev.controlroom.ui.common.TaskRow;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class TasksPaneTest {
    private Path dir;
    private ControlRoom room;
    private Store store;
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("cr-tasks");
        room = ControlRoom.open(dir.resolve("test.db"));
        store = room.store();
        viewModel = new DesktopApp(store, room.orchestrator(), room.background(), "test").show(stage);
    }

    @AfterEach
    void close() throws Exception {
        room.close();
        // A refresh the closed window had scheduled fails on the closed executor: not this test's business.
        Thread.sleep(MainViewModelBeat.MS);
        WaitForAsyncUtils.clearExceptions();
    }

    private static final class MainViewModelBeat {
        static final long MS = 600;
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
    }

    private PlanSummary importAndSelect(FxRobot robot, String yaml) throws Exception {
        PlanSummary plan = store.plans().importPlan(new PlanReader(Set.of()).parse(yaml, PlanReader.Format.YAML, "test.yaml").orThrow(),
                PlanStore.Source.of(null, "yaml", null));
        robot.interact(() -> viewModel.selectedPlanProperty().set(plan));
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> table.getItems().size() == plan.taskCount());
        return plan;
    }

    private static List<String> keys(TableView<TaskRow> table) {
        return table.getItems().stream().map(TaskRow::key).toList();
    }

    @Test
    void filteringByStatusAndTextNarrowsTheRowsAndClearingShowsThemAll(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = store.plans().list().getFirst();
        Map<Long, Integer> waves = new LinkedHashMap<>();
        Map<Long, TaskState> states = new LinkedHashMap<>();
        store.plans().tasksOf(plan.id()).forEach(t -> {
            waves.put(t.id(), 0);
            states.put(t.id(), t.key().equals("machine") || t.key().equals("report") ? TaskState.FAILED : TaskState.SUCCEEDED);
        });
        store.runs().commit(tx -> tx.createRun("run-filter", plan.id(), new RunOptions(2, WaveMode.DATAFLOW, "ui"), 1, waves, states));
        robot.type(javafx.scene.input.KeyCode.F5);
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> table.getItems().stream().anyMatch(r -> r.status().equals("failed")));

        ComboBox<String> status = robot.lookup("#statusFilter").queryComboBox();
        robot.interact(() -> status.getSelectionModel().select("failed"));
        assertEquals(List.of("machine", "report"), keys(table));
        assertEquals("2 of 5 tasks", robot.lookup("#taskCountLabel").queryAs(Label.class).getText());

        robot.clickOn("#textFilter").write("REP");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("report"), keys(table));

        robot.interact(() -> robot.lookup("#textFilter").queryTextInputControl().setText("no such task"));
        assertTrue(table.getItems().isEmpty());
        assertTrue(((Label) table.getPlaceholder().lookup(".empty-state")).getText().contains("No task matches"));

        robot.clickOn("#clearFiltersButton");
        assertEquals(List.of("hello", "machine", "count", "report", "summary"), keys(table));
        assertEquals("5 tasks", robot.lookup("#taskCountLabel").queryAs(Label.class).getText());
    }

    @Test
    void reorderingABoardColumnStoresTheNewPrioritiesAndResortsTheCards(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = importAndSelect(robot, """
                name: board
                tasks:
                  - { id: alpha, command: 'true', priority: 5 }
                  - { id: beta, command: 'true', priority: 3 }
                  - { id: gamma, command: 'true', priority: 1 }
                """);
        robot.clickOn("#boardToggle");
        waitUntil(() -> robot.lookup("#board-card-gamma").tryQuery().map(Node::isVisible).orElse(false));

        // Monocle does not deliver drag-and-drop gestures headless: the drop hands the column's new order to the
        // same action the board's drop handler calls.
        List<TaskRow> column = List.of("gamma", "alpha", "beta").stream().map(k -> viewModel.tasks().rows().stream()
                .filter(r -> r.key().equals(k)).findFirst().orElseThrow()).toList();
        robot.interact(() -> viewModel.control(viewModel.taskActions().reorder(column)));

        waitUntil(() -> byPriority(plan).equals(List.of("gamma", "alpha", "beta")));
        assertEquals(List.of(5, 3, 1), store.plans().tasksOf(plan.id()).stream().map(t -> t.spec().priority())
                .sorted(Comparator.reverseOrder()).toList());
        // The board shows the new order once the window has reloaded.
        waitUntil(() -> robot.lookup("#board-column-not-started .board-card").queryAll().stream().map(Node::getId).toList()
                .equals(List.of("board-card-gamma", "board-card-alpha", "board-card-beta")));
    }

    private List<String> byPriority(PlanSummary plan) {
        return store.plans().tasksOf(plan.id()).stream().sorted(Comparator.comparingInt((StoredTask t) -> -t.spec().priority()))
                .map(StoredTask::key).toList();
    }

    @Test
    void theEditorCreatesATaskWithADependencyAndRefusesOneThatClosesACycle(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = importAndSelect(robot, """
                name: edit
                tasks:
                  - { id: one, command: 'echo 1' }
                  - { id: two, command: 'echo 2', depends_on: [one] }
                """);

        robot.clickOn("#newTaskButton");
        waitUntil(() -> robot.lookup("#taskEditor").tryQuery().isPresent());
        robot.interact(() -> {
            robot.lookup("#keyField").queryTextInputControl().setText("three");
            robot.lookup("#titleField").queryTextInputControl().setText("Third step");
            robot.lookup("#workArea").queryTextInputControl().setText("echo 3");
            robot.lookup("#verifyArea").queryTextInputControl().setText("test -n ok");
        });
        ListView<TaskEditorViewModel.Dependency> deps = robot.lookup("#dependencyList").queryListView();
        robot.interact(() -> deps.getItems().stream().filter(d -> d.key().equals("two")).findFirst().orElseThrow()
                .chosenProperty().set(true));
        robot.clickOn("#saveTaskButton");

        waitUntil(() -> store.plans().tasksOf(plan.id()).size() == 3);
        StoredTask three = store.plans().tasksOf(plan.id()).get(2);
        assertEquals("three", three.key());
        assertEquals(List.of("two"), three.spec().dependsOn());
        assertEquals(List.of("test -n ok"), three.spec().verify());
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> keys(table).equals(List.of("one", "two", "three")));
        waitUntil(() -> robot.lookup("#taskEditor").tryQuery().isEmpty());

        // Task one may not depend on three: three → two → one already.
        robot.interact(() -> table.getSelectionModel().select(table.getItems().getFirst()));
        robot.clickOn("#editTaskButton");
        waitUntil(() -> robot.lookup("#taskEditor").tryQuery().isPresent());
        ListView<TaskEditorViewModel.Dependency> editDeps = robot.lookup("#dependencyList").queryListView();
        TaskEditorViewModel.Dependency toThree = editDeps.getItems().stream().filter(d -> d.key().equals("three")).findFirst().orElseThrow();
        robot.interact(() -> toThree.chosenProperty().set(true));

        assertFalse(toThree.chosenProperty().get());
        String message = robot.lookup("#dependencyMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("one") && message.contains("two") && message.contains("three") && message.contains("cycle"), message);
        robot.clickOn("#saveTaskButton");
        waitUntil(() -> robot.lookup("#taskEditor").tryQuery().isEmpty());
        assertEquals(List.of(), store.plans().tasksOf(plan.id()).getFirst().spec().dependsOn());
    }

    @Test
    void editingATaskKeepsItsWatchdogPoliciesAndChangesItsSilence(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = importAndSelect(robot, """
                name: watched
                tasks:
                  - { id: one, command: 'echo 1', watchdog: { silence: 45s, on_stuck: ask, on_repeated_error: nudge } }
                """);
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> keys(table).equals(List.of("one")));
        robot.interact(() -> table.getSelectionModel().select(table.getItems().getFirst()));
        robot.clickOn("#editTaskButton");
        waitUntil(() -> robot.lookup("#taskEditor").tryQuery().isPresent());
        assertEquals("45s", robot.lookup("#silenceField").queryTextInputControl().getText());

        robot.interact(() -> robot.lookup("#silenceField").queryTextInputControl().setText("3m"));
        robot.clickOn("#saveTaskButton");
        waitUntil(() -> robot.lookup("#taskEditor").tryQuery().isEmpty());

        var w = store.plans().tasksOf(plan.id()).getFirst().spec().watchdog();
        assertEquals(new dev.controlroom.domain.Watchdog(java.util.Optional.of(java.time.Duration.ofMinutes(3)),
                java.util.Optional.of(dev.controlroom.domain.Watchdog.Policy.ASK),
                java.util.Optional.of(dev.controlroom.domain.Watchdog.Policy.NUDGE)), w);
    }

    @Test
    void importingABadPlanReportsEveryProblemWithItsLineAndStoresNothing(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        int before = store.plans().list().size();
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                tasks:
                  - { id: a, command: 'true', depends_on: [b] }
                  - { id: b, command: 'true', depends_on: [a] }
                  - { id: c }
                """);

        var outcome = viewModel.taskActions().importPlan(bad).get(20, TimeUnit.SECONDS);

        assertTrue(outcome.plan().isEmpty());
        List<String> problems = outcome.problems().stream().map(Object::toString).toList();
        assertTrue(problems.stream().anyMatch(p -> p.contains("dependency cycle")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("needs a 'command'")), problems.toString());
        assertTrue(outcome.problems().stream().allMatch(p -> p.line().isPresent()), problems.toString());
        assertEquals(before, store.plans().list().size());
    }

    @Test
    void importingAGoodPlanStoresItAndSelectsIt(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        Path good = Files.writeString(dir.resolve("good.json"), """
                {"name": "from json", "tasks": [{"id": "x", "command": "true"}, {"id": "y", "command": "true", "depends_on": ["x"]}]}
                """);

        viewModel.taskActions().importPlan(good).get(20, TimeUnit.SECONDS);

        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> keys(table).equals(List.of("x", "y")));
        assertEquals("from json", viewModel.selectedPlanProperty().get().name());
        assertEquals(good.toAbsolutePath().toString(), store.plans().list().getFirst().sourcePath().orElseThrow());
    }

    @Test
    void theDetailPaneShowsAttemptsAndQaEvidenceAndRetryRerunsAFailedTask(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = importAndSelect(robot, """
                name: checked
                tasks:
                  - { id: good, command: 'echo built', verify: ['test 1 -eq 1'] }
                  - { id: bad, command: 'echo built too', verify: ['echo the check broke; exit 3'] }
                """);
        String runId = room.orchestrator().start(plan.id(), new RunOptions(2, WaveMode.DATAFLOW, "ui")).get(20, TimeUnit.SECONDS);
        room.orchestrator().finished(runId).get(60, TimeUnit.SECONDS);
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> table.getItems().stream().anyMatch(r -> r.status().equals("failed")));

        robot.interact(() -> table.getSelectionModel().select(table.getItems().stream().filter(r -> r.key().equals("bad"))
                .findFirst().orElseThrow()));

        waitUntil(() -> robot.lookup("#attemptsBox .qa-check-failed").tryQuery().isPresent());
        javafx.scene.control.TitledPane check = robot.lookup("#attemptsBox .qa-check-failed").query();
        assertTrue(check.getText().contains("echo the check broke; exit 3") && check.getText().contains("exit 3"), check.getText());
        TextArea evidence = (TextArea) check.getContent();
        assertTrue(evidence.getText().contains("the check broke"), evidence.getText());
        assertEquals("failed", robot.lookup("#stateLabel").queryAs(Label.class).getText());
        assertEquals(1, robot.lookup("#attemptsBox .attempt").queryAll().size());
        assertFalse(robot.lookup("#retryButton").queryButton().isDisabled());
        assertTrue(robot.lookup("#terminateButton").queryButton().isDisabled());

        robot.clickOn("#retryButton");

        StoredTask bad = store.plans().tasksOf(plan.id()).get(1);
        try {
            waitUntil(() -> store.runs().sessions(runId).stream().filter(s -> s.taskId() == bad.id() && !s.isOpen()).count() == 2);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no second session; action error: '" + viewModel.actionErrorProperty().get() + "', run "
                    + store.runs().find(runId).orElseThrow().state(), e);
        }
        waitUntil(() -> robot.lookup("#attemptsBox .attempt").queryAll().size() == 2);
        waitUntil(() -> robot.lookup("#stateLabel").queryAs(Label.class).getText().equals("failed"));
    }

    @Test
    void triggerQaRecordsANewVerdictWithItsEvidence(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = importAndSelect(robot, """
                name: recheck
                tasks:
                  - { id: flaky, command: 'echo ok', verify: ['test -f ready.txt'] }
                """);
        String runId = room.orchestrator().start(plan.id(), new RunOptions(1, WaveMode.DATAFLOW, "ui")).get(20, TimeUnit.SECONDS);
        room.orchestrator().finished(runId).get(60, TimeUnit.SECONDS);
        var session = store.runs().sessions(runId).getFirst();
        Files.writeString(Path.of(session.workingDir()).resolve("ready.txt"), "now");
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> table.getItems().getFirst().status().equals("failed"));
        robot.interact(() -> table.getSelectionModel().select(0));
        waitUntil(() -> !robot.lookup("#verifyButton").queryButton().isDisabled());

        robot.clickOn("#verifyButton");

        waitUntil(() -> store.runs().iterations(session.id()).size() == 2);
        var again = store.runs().iterations(session.id()).get(1);
        assertEquals("passed", again.status());
        assertEquals("test -f ready.txt", again.checks().getFirst().command());
        waitUntil(() -> robot.lookup("#attemptsBox .qa-check-passed").tryQuery().isPresent());
    }
}
