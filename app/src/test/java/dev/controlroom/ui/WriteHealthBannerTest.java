package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.bench.SmallDisk;
import dev.controlroom.store.StoreException;
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

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window says so while its database is on a full disk (a real one: a small tmpfs filled up), and stops saying it once there is room. */
@ExtendWith(ApplicationExtension.class)
class WriteHealthBannerTest {
    private Path dir;
    private SmallDisk disk;
    private ControlRoom room;
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("cr-ui-disk");
        disk = SmallDisk.mount(dir.resolve("disk"), 8);
        room = ControlRoom.open(disk.path().resolve("test.db"));
        viewModel = new DesktopApp(room.store(), room.orchestrator(), room.background(), "test").show(stage);
    }

    @AfterEach
    void close() throws Exception {
        try {
            room.close();
        } finally {
            disk.close();
        }
    }

    @Test
    void aFullDiskShowsABannerThatGoesOnceTheDatabaseTakesWritesAgain(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> viewModel.loadedOnceProperty().get());
        Label banner = robot.lookup(".write-health-banner").queryAs(Label.class);
        assertTrue(!banner.isVisible(), "no banner while the database takes writes");

        disk.fill();
        assertThrows(StoreException.class, () -> room.store().settings().put("probe", "x".repeat(64 * 1024)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, banner::isVisible);

        assertTrue(banner.getText().startsWith("Disk full: output is held in memory"), banner.getText());
        assertTrue(banner.getText().contains("runs continue when space is freed"), banner.getText());
        assertTrue(banner.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("disk-full")));

        disk.free();
        room.store().settings().put("probe", "x");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !banner.isVisible());
        assertTrue(banner.getText().isEmpty());
    }
}
