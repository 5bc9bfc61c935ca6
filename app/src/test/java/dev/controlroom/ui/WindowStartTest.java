package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import javafx.application.Application;
import javafx.scene.control.Label;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the window does, and does not do, on its way to the first frame. */
@ExtendWith(ApplicationExtension.class)
class WindowStartTest {
    private ControlRoom room;
    private Stage window;
    private MainViewModel viewModel;
    private final AtomicReference<String> stylesheetWhenShown = new AtomicReference<>("");

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("cr-start");
        room = ControlRoom.open(dir.resolve("test.db"));
        room.store().settings().put(MainViewModel.THEME_KEY, Theme.LIGHT.id());
        Application.setUserAgentStylesheet(Theme.DARK.stylesheet());
        window = new Stage();
        window.showingProperty().addListener((obs, was, showing) -> {
            if (showing) {
                stylesheetWhenShown.set(Application.getUserAgentStylesheet());
            }
        });
        viewModel = new DesktopApp(room.store(), room.orchestrator(), room.background(), "test").show(window);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(window::close);
        room.close();
    }

    @Test
    void theRememberedThemeIsInPlaceBeforeTheWindowShows() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, window::isShowing);

        assertEquals(Theme.LIGHT.stylesheet(), stylesheetWhenShown.get(), "no dark first frame, no second CSS pass");
    }

    @Test
    void theHiddenTaskBoardHasNoCardsUntilItIsShown(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> viewModel.loadedOnceProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(5, viewModel.tasks().rows().size(), "the sample plan is in view");
        assertTrue(robot.lookup(".board-card").queryAll().isEmpty(), "no cards built for the hidden board");

        robot.interact(() -> viewModel.tasks().boardShownProperty().set(true));

        assertEquals(5, robot.lookup(".board-card").queryAll().size());
    }

    @Test
    void theAgentClisAreAskedForOnceTheWindowShowsItsData(FxRobot robot) throws Exception {
        Label clis = robot.lookup("#cliLabel").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> viewModel.loadedOnceProperty().get());

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !clis.getText().isEmpty());
    }
}
