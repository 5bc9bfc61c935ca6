package dev.controlroom.ui.term;

import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class TerminalViewTest {
    private TerminalView view;

    @Start
    void start(Stage stage) {
        view = new TerminalView(new Terminal(80, 24));
        stage.setScene(new Scene(new StackPane(view), 800, 500));
        stage.show();
    }

    @Test
    void aViewFloodedFasterThanItCanShowKeepsTheNewestOutputAndSaysHowMuchItSkipped(FxRobot robot) throws Exception {
        byte[] line = "0123456789012345678901234567890123456789012345678901234567890123456789\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[line.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(line, 0, block, i * line.length, line.length);
        }
        // Offered from another thread in one go, far more than the queue holds: the FX thread cannot have applied it yet.
        Thread feeder = new Thread(() -> {
            long offset = 0;
            for (int i = 0; i < 300; i++) {
                view.offer(offset, block);
                offset += block.length;
            }
            view.offer(offset, "the very last line\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        feeder.start();
        feeder.join();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.visibleText().contains("the very last line"));
        assertTrue(view.skippedBytesProperty().get() > 0, "the view says it skipped output");
        assertTrue(view.skippedBytesProperty().get() < 300L * block.length, "it showed the newest part");
    }

    @Test
    void bytesAlreadyInTheModelAreNotAppliedTwice(FxRobot robot) throws Exception {
        Terminal loaded = new Terminal(80, 24);
        loaded.feed("one\r\ntwo\r\n");
        robot.interact(view::hold);
        // The live feed repeats what the database already gave (offsets 0..9), then continues.
        view.offer(0, "one\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII));
        view.offer(10, "three\r\n".getBytes(StandardCharsets.US_ASCII));
        robot.interact(() -> view.replace(loaded, 10));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.visibleText().contains("three"));
        assertEquals("one\ntwo\nthree\n", view.terminal().screenText().replaceAll("\n+$", "\n"));
    }
}
