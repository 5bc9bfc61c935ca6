package dev.controlroom.ui.tray;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.ui.DesktopApp;
import dev.controlroom.ui.FxThread;
import dev.controlroom.ui.MainViewModel;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing and quitting on a desktop without a tray (the test JVM is headless: no tray here). */
@ExtendWith(ApplicationExtension.class)
class TrayWindowTest {
    private ControlRoom room;
    private MainViewModel viewModel;
    private Stage stage;
    private final AtomicInteger quits = new AtomicInteger();

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("cr-tray");
        room = ControlRoom.open(dir.resolve("test.db"));
        this.stage = stage;
        viewModel = new DesktopApp(room.store(), room.orchestrator(), room.background(), "test").show(stage);
        TrayWindow window = new TrayWindow(stage, new TrayWindow.Services(room.store(), room.orchestrator(), room.background(),
                new FxThread(), viewModel::showTask), quits::incrementAndGet);
        assertTrue(window.installTray().isEmpty(), "a headless JVM has no tray");
    }

    @AfterEach
    void close() throws Exception {
        // Runs end here, not in close(): their last events must reach this test's window, not the next one's.
        for (String run : room.orchestrator().activeRuns().get(5, TimeUnit.SECONDS)) {
            room.orchestrator().cancel(run).get(5, TimeUnit.SECONDS);
            room.orchestrator().finished(run).handle((summary, error) -> null).get(20, TimeUnit.SECONDS);
        }
        WaitForAsyncUtils.sleep(2 * 300 + 200, TimeUnit.MILLISECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        room.close();
    }

    /** Not through interact(): the question is a modal dialog, and interact() would wait for it to close. */
    private void requestClose(FxRobot robot) {
        javafx.application.Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
    }

    private long startLongRun() throws Exception {
        long plan = room.store().plans().importPlan(new PlanReader(Set.of()).parse("""
                name: long
                tasks:
                  - { id: wait, command: 'sleep 60' }
                """, PlanReader.Format.YAML, "long.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null)).id();
        room.orchestrator().start(plan, new RunOptions(1, WaveMode.BARRIER, "ui")).get(10, TimeUnit.SECONDS);
        return plan;
    }

    @Test
    void closingWithoutATrayAndNothingRunningQuitsAtOnce(FxRobot robot) throws Exception {
        requestClose(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> quits.get() == 1);
        assertTrue(robot.lookup("#quit-dialog").tryQuery().isEmpty(), "nothing runs: no question");
    }

    @Test
    void closingWithARunInProgressAsksFirstAndCancelKeepsTheAppGoing(FxRobot robot) throws Exception {
        startLongRun();

        requestClose(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#quit-dialog").tryQuery().isPresent());
        DialogPane dialog = robot.lookup("#quit-dialog").queryAs(DialogPane.class);
        assertEquals("A run is in progress", dialog.getHeaderText());
        javafx.application.Platform.runLater(() -> ((Button) dialog.lookupButton(ButtonType.CANCEL)).fire());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#quit-dialog").tryQuery().isEmpty());
        assertEquals(0, quits.get());
        assertTrue(stage.isShowing());
        assertEquals(1, room.orchestrator().activeRuns().get(5, TimeUnit.SECONDS).size(), "the run goes on");

        requestClose(robot);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#quit-dialog").tryQuery().isPresent());
        DialogPane again = robot.lookup("#quit-dialog").queryAs(DialogPane.class);
        javafx.application.Platform.runLater(() -> again.getButtonTypes().stream().filter(b -> b.getText().equals("Quit")).findFirst()
                .map(again::lookupButton).map(Button.class::cast).orElseThrow().fire());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> quits.get() == 1);
    }

    @Test
    void openingOnATaskSelectsItsTaskListAndTheTask(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> viewModel.loadedOnceProperty().get());
        long plan = startLongRun();
        String run = room.orchestrator().activeRuns().get(5, TimeUnit.SECONDS).getFirst();
        long task = room.store().plans().tasksOf(plan).getFirst().id();

        viewModel.showTask(run, Optional.of(task)).get(10, TimeUnit.SECONDS);

        assertEquals(plan, viewModel.selectedPlanProperty().get().id());
        assertEquals("wait", viewModel.tasks().selectedProperty().get().key());
    }
}
