package dev.controlroom.ui.logs;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.ui.DesktopApp;
import dev.controlroom.ui.MainViewModel;
import dev.controlroom.ui.common.TaskRow;
import dev.controlroom.ui.term.TerminalView;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class LogsPaneTest {
    private Path dir;
    private ControlRoom room;
    private MainViewModel viewModel;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("cr-logs");
        room = ControlRoom.open(dir.resolve("test.db"));
        viewModel = new DesktopApp(room.store(), room.orchestrator(), room.background(), "test").show(stage);
    }

    @AfterEach
    void close() throws Exception {
        // Let a refresh the last engine event scheduled finish before the executors stop.
        Thread.sleep(400);
        // Close this test's window, so the next test's clicks cannot land on it.
        WaitForAsyncUtils.asyncFx(() -> {
            viewModel.logs().tabs().stream().toList().forEach(viewModel.logs()::close);
            stage.close();
        }).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        room.close();
    }

    private void waitUntil(Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            SessionTab tab = viewModel.logs().selectedProperty().get();
            throw new AssertionError(tab == null ? "no tab open" : "tab " + tab.titleProperty().get() + " notice: "
                    + tab.noticeProperty().get() + " height " + tab.view().getHeight() + " scene " + (tab.view().getScene() != null) + " parent " + tab.view().getParent() + " tabpanes " + new FxRobot().lookup(".logs-tabs").queryAll().stream().map(n -> ((javafx.scene.control.TabPane) n).getTabs().size() + "/" + n.getScene()).toList() + " shows:\n" + tab.view().visibleText(), e);
        }
    }

    /** Imports a plan, selects it, runs it and returns the run id. */
    private String run(FxRobot robot, String yaml) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = room.store().plans().importPlan(new PlanReader(Set.of()).parse(yaml, PlanReader.Format.YAML, "p.yaml").orThrow(),
                PlanStore.Source.of(null, "yaml", null));
        robot.interact(viewModel::refresh);
        waitUntil(() -> viewModel.plans().stream().anyMatch(p -> p.id() == plan.id()));
        robot.interact(() -> viewModel.selectedPlanProperty().set(viewModel.plans().stream().filter(p -> p.id() == plan.id())
                .findFirst().orElseThrow()));
        return room.orchestrator().start(plan.id(), new RunOptions(2, WaveMode.DATAFLOW, "ui")).get(10, TimeUnit.SECONDS);
    }

    private void selectTask(FxRobot robot, String key) throws Exception {
        TableView<TaskRow> tasks = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> tasks.getItems().stream().anyMatch(r -> r.key().equals(key)));
        robot.interact(() -> tasks.getSelectionModel().select(tasks.getItems().stream().filter(r -> r.key().equals(key))
                .findFirst().orElseThrow()));
    }

    /** The terminal in front, once it is laid out on screen (a tab's content is built when it is first shown). */
    private TerminalView frontTerminal() throws Exception {
        waitUntil(() -> {
            SessionTab tab = viewModel.logs().selectedProperty().get();
            return tab != null && tab.view().getScene() != null && tab.view().getHeight() > 100;
        });
        WaitForAsyncUtils.waitForFxEvents();
        return viewModel.logs().selectedProperty().get().view();
    }

    /** Clicking the terminal gives it the keyboard focus. */
    private static void focus(FxRobot robot, TerminalView view) {
        robot.clickOn(view);
        assertTrue(view.isFocused(), "the terminal has the focus after a click, not " + view.getScene().getFocusOwner());
    }

    private boolean frontShows(String text) {
        SessionTab tab = viewModel.logs().selectedProperty().get();
        return tab != null && tab.view().getHeight() > 100 && tab.view().visibleText().contains(text);
    }

    @Test
    void selectingAFinishedTaskOpensItsTerminalWithWhatItPrintedInColour(FxRobot robot) throws Exception {
        String runId = run(robot, """
                name: colours
                tasks:
                  - { id: paint, command: 'printf "plain \\033[1;31mred alert\\033[0m done\\n"' }
                """);
        room.orchestrator().finished(runId).get(30, TimeUnit.SECONDS);
        selectTask(robot, "paint");
        waitUntil(() -> frontShows("plain red alert done"));
        TerminalView view = frontTerminal();
        int line = view.findLast("red alert").orElseThrow();
        long attr = view.terminal().line(line).attr(view.terminal().line(line).text().indexOf("red"));
        assertEquals(dev.controlroom.ui.term.Attr.indexed(1), dev.controlroom.ui.term.Attr.fg(attr));
        waitUntil(() -> viewModel.logs().selectedProperty().get().titleProperty().get().equals("shell-1 · paint · exited"));
        assertFalse(viewModel.logs().selectedProperty().get().liveProperty().get(), "a finished session takes no input");
    }

    @Test
    void findHighlightsEveryMatchAndSteppingMovesBetweenThem(FxRobot robot) throws Exception {
        String runId = run(robot, """
                name: many
                tasks:
                  - { id: lines, command: 'for i in $(seq 1 300); do if [ $((i % 100)) -eq 0 ]; then echo "needle $i"; else echo "hay $i"; fi; done' }
                """);
        room.orchestrator().finished(runId).get(30, TimeUnit.SECONDS);
        selectTask(robot, "lines");
        waitUntil(() -> frontShows("hay 299"));
        TerminalView view = frontTerminal();
        focus(robot, view);
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        robot.write("needle");
        waitUntil(() -> view.matchCountProperty().get() == 3);
        assertEquals(2, view.matchIndexProperty().get(), "the newest match comes first");
        assertTrue(view.visibleText().contains("needle 300"));
        assertFalse(view.followingProperty().get(), "looking at a match leaves follow mode");
        robot.type(KeyCode.ENTER);
        assertEquals(0, view.matchIndexProperty().get(), "next wraps around to the oldest");
        assertTrue(view.visibleText().contains("needle 100"), view.visibleText());
        assertEquals(List.of(3), List.of(view.matches().size()));
    }

    @Test
    void copyPutsTheSelectedTextOnTheClipboard(FxRobot robot) throws Exception {
        String runId = run(robot, """
                name: copy
                tasks:
                  - { id: words, command: 'echo "alpha beta gamma"; echo "delta"' }
                """);
        room.orchestrator().finished(runId).get(30, TimeUnit.SECONDS);
        selectTask(robot, "words");
        waitUntil(() -> frontShows("delta"));
        TerminalView view = frontTerminal();
        int line = view.findLast("alpha").orElseThrow();
        focus(robot, view);
        robot.interact(() -> view.select(line, 6, line + 1, 5));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.C).release(KeyCode.SHIFT, KeyCode.CONTROL);
        AtomicReference<String> copied = new AtomicReference<>();
        robot.interact(() -> copied.set(Clipboard.getSystemClipboard().getString()));
        assertEquals("beta gamma\ndelta", copied.get());
    }

    @Test
    void keysTypedIntoALiveSessionReachItAndItsEchoShows(FxRobot robot) throws Exception {
        run(robot, """
                name: talk
                tasks:
                  - { id: cat, command: 'while read line; do echo "echo:$line"; [ "$line" = bye ] && break; done' }
                """);
        selectTask(robot, "cat");
        waitUntil(() -> viewModel.logs().selectedProperty().get() != null && viewModel.logs().selectedProperty().get().liveProperty().get());
        TerminalView view = frontTerminal();
        focus(robot, view);
        robot.write("hello");
        robot.type(KeyCode.ENTER);
        waitUntil(() -> view.visibleText().contains("echo:hello"));
        robot.write("bye");
        robot.type(KeyCode.ENTER);
        waitUntil(() -> !viewModel.logs().selectedProperty().get().liveProperty().get());
    }

    @Test
    void scrollingUpLeavesFollowModeAndFollowReturnsToTheNewestOutput(FxRobot robot) throws Exception {
        String runId = run(robot, """
                name: long
                tasks:
                  - { id: long, command: 'seq 1 500' }
                """);
        room.orchestrator().finished(runId).get(30, TimeUnit.SECONDS);
        selectTask(robot, "long");
        waitUntil(() -> frontShows("500"));
        TerminalView view = frontTerminal();
        assertTrue(view.followingProperty().get());
        focus(robot, view);
        robot.press(KeyCode.SHIFT).type(KeyCode.PAGE_UP).type(KeyCode.PAGE_UP).release(KeyCode.SHIFT);
        waitUntil(() -> !view.followingProperty().get());
        assertFalse(view.visibleText().contains("\n500\n"), view.visibleText());
        robot.clickOn(".terminal-follow");
        assertTrue(view.followingProperty().get(), "Follow turns following back on");
        waitUntil(() -> view.visibleText().contains("500"));
    }

    @Test
    void clickingAnExtractedEventScrollsTheTerminalToIt(FxRobot robot) throws Exception {
        String runId = run(robot, """
                name: err
                tasks:
                  - { id: boom, command: 'echo "Error: cannot open settings file"; seq 1 300' }
                """);
        room.orchestrator().finished(runId).get(30, TimeUnit.SECONDS);
        selectTask(robot, "boom");
        waitUntil(() -> frontShows("300"));
        SessionTab tab = viewModel.logs().selectedProperty().get();
        // Extracted events reach the pane with the next refresh of the window (F5, or the next engine event).
        waitUntil(() -> {
            robot.interact(viewModel::refresh);
            return tab.events().stream().anyMatch(e -> e.type().id().equals("error"));
        });
        robot.interact(() -> tab.reveal(tab.events().stream().filter(e -> e.type().id().equals("error")).findFirst().orElseThrow()));
        assertTrue(tab.view().visibleText().contains("cannot open settings file"), tab.view().visibleText());
    }

    @Test
    void closedTabsStayClosedAndTheEmptyStateSaysWhatToDo(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        assertTrue(robot.lookup(".logs-empty").query().isVisible());
        String runId = run(robot, """
                name: one
                tasks:
                  - { id: only, command: 'echo hi' }
                """);
        room.orchestrator().finished(runId).get(30, TimeUnit.SECONDS);
        selectTask(robot, "only");
        waitUntil(() -> frontShows("hi"));
        assertFalse(robot.lookup(".logs-empty").query().isVisible());
        robot.interact(() -> viewModel.logs().close(viewModel.logs().selectedProperty().get()));
        robot.interact(viewModel::refresh);
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(500);
        assertTrue(viewModel.logs().tabs().isEmpty(), "the selected task's closed tab is not reopened by a refresh");
        assertTrue(robot.lookup(".logs-empty").query().isVisible());
        List<SessionRecord> sessions = room.store().runs().sessions(runId);
        robot.interact(() -> viewModel.logs().open(sessions.getFirst().id()));
        robot.interact(() -> viewModel.logs().splitProperty().set(true));
        assertEquals(1, viewModel.logs().tabs().size());
    }
}
