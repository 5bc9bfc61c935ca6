package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.TaskRow;
import dev.controlroom.ui.events.EventsViewModel;
import dev.controlroom.ui.notify.NotifyDesk;
import dev.controlroom.ui.notify.Toast;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.shape.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class WavesEventsNotifyTest {
    private ControlRoom room;
    private Store store;
    private MainViewModel viewModel;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        room = ControlRoom.open(Files.createTempDirectory("cr-panes").resolve("test.db"));
        store = room.store();
        viewModel = new DesktopApp(store, room.orchestrator(), room.background(), "test").show(stage);
    }

    @AfterEach
    void close() throws Exception {
        Thread.sleep(2 * MainViewModel.REFRESH_BEAT_MS);
        WaitForAsyncUtils.waitForFxEvents();
        room.close();
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
    }

    @Test
    void clickingAWaveBoxSelectsItsTaskInTheTableAndEmphasisesItsDependencies(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#wave-task-count");

        waitUntil(() -> viewModel.tasks().selectedProperty().get() != null
                && viewModel.tasks().selectedProperty().get().key().equals("count"));
        TableView<TaskRow> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> table.getSelectionModel().getSelectedItem() != null
                && table.getSelectionModel().getSelectedItem().key().equals("count"));
        waitUntil(() -> robot.lookup("#wave-task-count").query().getStyleClass().contains("wave-task-selected"));
        // count depends on hello, and report depends on count.
        for (String related : List.of("hello", "report")) {
            assertTrue(robot.lookup("#wave-task-" + related).query().getStyleClass().contains("wave-task-related"), related);
        }
        assertTrue(robot.lookup("#wave-arrow-count-report").query().getStyleClass().contains("wave-arrow-emphasis"));
    }

    @Test
    void anArrowLeadsFromEachDependencyToItsDependent(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        waitUntil(() -> robot.lookup(".wave-arrow").queryAll().size() == 4);

        Path arrow = robot.lookup("#wave-arrow-hello-count").queryAs(Path.class);
        waitUntil(() -> !arrow.getElements().isEmpty());
        var from = robot.lookup("#wave-task-hello").query();
        var to = robot.lookup("#wave-task-count").query();
        var bounds = arrow.localToScene(arrow.getBoundsInLocal());
        // The arrow spans from the right edge of its dependency to the left edge of its dependent.
        assertEquals(from.localToScene(from.getBoundsInLocal()).getMaxX(), bounds.getMinX(), 1.5);
        assertEquals(to.localToScene(to.getBoundsInLocal()).getMinX(), bounds.getMaxX(), 1.5);
        assertTrue(robot.lookup("#wave-arrow-count-report").tryQuery().isPresent());
        assertTrue(robot.lookup("#wave-arrow-report-summary").tryQuery().isPresent());
    }

    @Test
    void severityAndTypeFiltersNarrowTheEventList(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        store.events().appendAll(List.of(
                Event.draft(EventType.TASK_FAILED, Severity.ERROR, "task alpha failed: exit 1"),
                Event.draft(EventType.TASK_STARTED, Severity.INFO, "task alpha started"),
                Event.draft(EventType.RATE_LIMITED, Severity.WARNING, "claude-1 is rate limited")));
        robot.interact(viewModel::refresh);
        ListView<Event> list = robot.lookup("#eventList").queryListView();
        waitUntil(() -> list.getItems().size() == 4);
        assertEquals("4 events", robot.lookup("#eventCountLabel").queryAs(Label.class).getText());

        ComboBox<Severity> severity = robot.lookup("#severityFilter").queryComboBox();
        robot.interact(() -> severity.setValue(Severity.WARNING));
        waitUntil(() -> list.getItems().size() == 2);
        assertEquals(Set.of("task_failed", "rate_limited"), Set.copyOf(list.getItems().stream().map(e -> e.type().id()).toList()));

        ComboBox<String> type = robot.lookup("#typeFilter").queryComboBox();
        assertTrue(type.getItems().containsAll(List.of("", "roster_seeded", "task_failed", "task_started", "rate_limited")));
        robot.interact(() -> type.setValue("task_failed"));
        waitUntil(() -> list.getItems().size() == 1);
        assertEquals("task alpha failed: exit 1", list.getItems().getFirst().message());
        assertEquals("1 event", robot.lookup("#eventCountLabel").queryAs(Label.class).getText());

        robot.interact(() -> viewModel.events().clearFilters());
        waitUntil(() -> list.getItems().size() == 4);
        robot.interact(() -> viewModel.events().textProperty().set("RATE"));
        waitUntil(() -> list.getItems().size() == 1 && list.getItems().getFirst().type().id().equals("rate_limited"));
        robot.interact(() -> viewModel.events().windowProperty().set(EventsViewModel.Window.LAST_5_MINUTES));
        waitUntil(() -> list.getItems().size() == 1);
    }

    @Test
    void aFailedTaskRaisesANotificationThatOpensTheTask(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        List<Toast> shown = new CopyOnWriteArrayList<>();
        List<Runnable> clicks = new CopyOnWriteArrayList<>();
        NotifyDesk desk = new NotifyDesk(new FxThread(), (toast, onClick) -> {
            shown.add(toast);
            clicks.add(onClick);
        }, e -> e.taskId().ifPresent(id -> viewModel.showTask(id, e.runId())));
        room.orchestrator().addListener(desk);
        PlanSummary plan = store.plans().importPlan(new PlanReader(Set.of()).parse("""
                name: failing
                tasks:
                  - { id: ok, command: 'true' }
                  - { id: broken, command: 'exit 3' }
                """, PlanReader.Format.YAML, "failing.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null));

        String runId = room.orchestrator().start(plan.id(), new RunOptions(2, WaveMode.DATAFLOW, "ui")).get(10, TimeUnit.SECONDS);
        room.orchestrator().finished(runId).get(20, TimeUnit.SECONDS);

        waitUntil(() -> shown.stream().anyMatch(t -> t.title().equals("Task failed")));
        Toast failed = shown.stream().filter(t -> t.title().equals("Task failed")).findFirst().orElseThrow();
        assertTrue(failed.text().contains("broken"), failed.text());
        assertEquals(Severity.ERROR, failed.severity());
        waitUntil(() -> shown.stream().anyMatch(t -> t.title().startsWith("Run finished")));

        // A click on it shows the failed task's list and selects the task.
        robot.interact(() -> clicks.get(shown.indexOf(failed)).run());
        waitUntil(() -> viewModel.tasks().selectedProperty().get() != null
                && viewModel.tasks().selectedProperty().get().key().equals("broken"));
        assertEquals("failing", viewModel.selectedPlanProperty().get().name());
    }

    @Test
    void aFloodOfFailuresIsSummarisedInOneNotification() {
        List<Event> failures = List.of("a", "b", "c", "d", "e").stream()
                .map(k -> Event.draft(EventType.TASK_FAILED, Severity.ERROR, "task " + k + " failed").withTask(1)).toList();

        Toast toast = NotifyDesk.toast(failures);

        assertEquals("5 tasks failed", toast.title());
        assertTrue(toast.text().endsWith("… and 2 more"), toast.text());
    }

    @Test
    void mutingIsRemembered(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());

        robot.clickOn("#muteNotifications");

        waitUntil(() -> store.settings().get(NotifyDesk.MUTED_KEY).equals(java.util.Optional.of("true")));
    }
}
