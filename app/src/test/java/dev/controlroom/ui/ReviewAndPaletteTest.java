package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.orchestrator.port.WorktreeReview.ChangedFile;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.testsupport.GitRepos;
import dev.controlroom.ui.review.DiffLine;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Review tab on a task that really ran in a git worktree, the command palette, and the remembered layout. */
@ExtendWith(ApplicationExtension.class)
class ReviewAndPaletteTest {
    private Path dir;
    private ControlRoom room;
    private MainViewModel viewModel;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        dir = Files.createTempDirectory("cr-review-ui");
        room = ControlRoom.open(dir.resolve("test.db"));
        viewModel = new DesktopApp(room.store(), room.orchestrator(), room.background(), "test").withReview(room.review(), room.git())
                .show(stage);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> javafx.stage.Window.getWindows().stream().filter(w -> w instanceof Stage).toList().forEach(w -> ((Stage) w).hide()));
        // A refresh asked for by the last events is at most one beat away: let it finish before the services close.
        WaitForAsyncUtils.sleep(MainViewModel.REFRESH_BEAT_MS + 200, TimeUnit.MILLISECONDS);
        room.close();
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor() == 0 ? out : "failed: " + out;
    }

    /** A repository on main, and a task that ran in its own worktree, changing Main.java and adding hello.py. */
    private Path repositoryWithATaskThatRan(FxRobot robot) throws Exception {
        Path repo = GitRepos.withOneCommit(dir.resolve("repo"));
        Files.writeString(repo.resolve("Main.java"), "class Main {\n    int a = 1;\n}\n");
        GitRepos.git(repo, "add", "Main.java");
        GitRepos.git(repo, "commit", "-q", "-m", "main class");
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Main.java"), "class Main {\n    int a = 2; // changed\n    String s = \"text\";\n}\n");
        Files.writeString(src.resolve("hello.py"), "def hello():\n    return 'hi'\n");
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        PlanSummary plan = room.store().plans().importPlan(new PlanReader(Set.of()).parse("""
                name: reviewed
                tasks:
                  - id: feature
                    command: 'cp %s/Main.java Main.java && cp %s/hello.py hello.py'
                    context: { repo: %s, worktree: true }
                """.formatted(src, src, repo), PlanReader.Format.YAML, "reviewed.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null));
        String runId = room.orchestrator().start(plan.id(), new RunOptions(1, WaveMode.DATAFLOW, "ui")).get(10, TimeUnit.SECONDS);
        assertEquals(RunState.SUCCEEDED, room.orchestrator().finished(runId).get(30, TimeUnit.SECONDS).state());

        robot.interact(() -> viewModel.selectedPlanProperty().set(plan));
        TableView<?> table = robot.lookup("#taskTable").queryTableView();
        waitUntil(() -> table.getItems().size() == 1);
        robot.interact(() -> table.getSelectionModel().select(0));
        robot.interact(() -> viewModel.commands().find("Focus review").orElseThrow().action().run());
        return repo;
    }

    @Test
    void reviewListsTheTasksChangedFilesAndShowsAColouredDiff(FxRobot robot) throws Exception {
        repositoryWithATaskThatRan(robot);
        ListView<ChangedFile> files = robot.lookup("#fileList").queryListView();
        waitUntil(() -> files.getItems().size() == 2);

        assertEquals(List.of("Main.java", "hello.py"), files.getItems().stream().map(ChangedFile::path).toList());
        assertEquals(List.of(2, 2), files.getItems().stream().map(ChangedFile::added).toList());
        assertTrue(robot.lookup("#branchesLabel").queryAs(Label.class).getText().endsWith("→  main"));
        assertTrue(robot.lookup("#summaryLabel").queryAs(Label.class).getText().contains("2 uncommitted"));

        ListView<DiffLine> diff = robot.lookup("#diffList").queryListView();
        waitUntil(() -> diff.getItems().stream().anyMatch(l -> l.kind() == DiffLine.Kind.ADDED));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(diff.getItems().stream().anyMatch(l -> l.kind() == DiffLine.Kind.REMOVED && l.text().equals("    int a = 1;")));
        assertFalse(robot.lookup(".diff-cell.diff-added").queryAll().isEmpty(), "added lines are styled as added");
        assertFalse(robot.lookup(".diff-cell.diff-removed").queryAll().isEmpty());
        assertFalse(robot.lookup(".diff-cell.diff-hunk").queryAll().isEmpty());
        List<String> keywords = robot.lookup(".tok-keyword").<Text>queryAll().stream().map(Text::getText).toList();
        assertTrue(keywords.contains("class") && keywords.contains("int"), keywords.toString());
        assertTrue(robot.lookup(".tok-comment").<Text>queryAll().stream().anyMatch(t -> t.getText().equals("// changed")));
        assertTrue(robot.lookup(".tok-string").<Text>queryAll().stream().anyMatch(t -> t.getText().equals("\"text\"")));
    }

    @Test
    void mergeFromThePaneLandsTheChangeOnTheBaseBranch(FxRobot robot) throws Exception {
        Path repo = repositoryWithATaskThatRan(robot);
        ListView<ChangedFile> files = robot.lookup("#fileList").queryListView();
        waitUntil(() -> files.getItems().size() == 2 && !robot.lookup("#mergeButton").queryButton().isDisabled());

        robot.clickOn("#mergeButton");

        Label result = robot.lookup("#resultLabel").queryAs(Label.class);
        waitUntil(() -> result.getText().startsWith("Merged task feature into main"));
        assertEquals("def hello():\n    return 'hi'", git(repo, "show", "main:hello.py"));
        assertTrue(git(repo, "log", "-1", "--format=%s", "main").startsWith("Merge task feature of run"));
        waitUntil(() -> room.store().events().latest(5).stream().anyMatch(e -> e.type().id().equals("task_merged")));
        waitUntil(() -> files.getItems().isEmpty());
        assertEquals("This task has not changed any file.", robot.lookup("#emptyLabel").queryAs(Label.class).getText());
    }

    @Test
    void discardAsksFirstThenRemovesTheWorktreeAndItsBranch(FxRobot robot) throws Exception {
        Path repo = repositoryWithATaskThatRan(robot);
        ListView<ChangedFile> files = robot.lookup("#fileList").queryListView();
        waitUntil(() -> files.getItems().size() == 2 && !robot.lookup("#discardButton").queryButton().isDisabled());
        String branch = git(repo, "branch", "--list", "cr/*", "--format=%(refname:short)");
        Path worktree = Path.of(room.store().runs().sessions(room.store().runs().latest(1).getFirst().id()).getFirst().workingDir());

        robot.clickOn("#discardButton");

        assertTrue(robot.lookup("#confirmBar").query().isVisible(), "discarding asks first");
        assertTrue(Files.isDirectory(worktree), "nothing is removed before the answer");
        robot.clickOn("#confirmDiscardButton");

        waitUntil(() -> !Files.exists(worktree));
        waitUntil(() -> git(repo, "branch", "--list", branch).isEmpty());
        waitUntil(() -> robot.lookup("#emptyLabel").queryAs(Label.class).getText().contains("is gone"));
        assertTrue(robot.lookup("#resultLabel").queryAs(Label.class).getText().startsWith("Discarded task feature"));
    }

    @Test
    void paletteFiltersCommandsAndRunsTheChosenOne(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());
        assertEquals(Theme.DARK.stylesheet(), Application.getUserAgentStylesheet());

        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#paletteField").tryQuery().map(Node::isVisible).orElse(false));
        robot.write("toggle thm");
        ListView<?> list = robot.lookup("#paletteList").queryListView();
        waitUntil(() -> list.getItems().size() == 1);
        assertTrue(list.getItems().getFirst().toString().contains("Toggle theme"), list.getItems().toString());
        robot.type(KeyCode.ENTER);

        waitUntil(() -> Application.getUserAgentStylesheet().equals(Theme.LIGHT.stylesheet()));
        assertFalse(robot.lookup("#paletteField").tryQuery().map(Node::isVisible).orElse(false), "the palette closed");
    }

    @Test
    void windowSizeAndDividersSurviveClosingAndReopeningOnTheSameDatabase(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get() && stage.isShowing());
        robot.interact(() -> {
            stage.setWidth(1000);
            stage.setHeight(640);
        });
        waitUntil(() -> stage.getScene().getWidth() == 1000);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            robot.lookup("#mainSplit").queryAs(SplitPane.class).setDividerPositions(0.3, 0.7);
            robot.lookup("#outerSplit").queryAs(SplitPane.class).setDividerPositions(0.45);
        });
        WaitForAsyncUtils.waitForFxEvents();
        // The panes' minimum widths may move a divider a little from what was asked: what is in effect is what must survive.
        double[] mainSet = robot.lookup("#mainSplit").queryAs(SplitPane.class).getDividerPositions();
        double[] outerSet = robot.lookup("#outerSplit").queryAs(SplitPane.class).getDividerPositions();
        robot.interact(stage::hide);
        room.close();

        room = ControlRoom.open(dir.resolve("test.db"));
        Stage[] again = new Stage[1];
        robot.interact(() -> {
            again[0] = new Stage();
            viewModel = new DesktopApp(room.store(), room.orchestrator(), room.background(), "test").show(again[0]);
        });
        waitUntil(() -> again[0].isShowing() && viewModel.loadedOnceProperty().get());
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(1000, again[0].getWidth(), 1);
        assertEquals(640, again[0].getHeight(), 1);
        SplitPane main = robot.lookup("#mainSplit").match(n -> n.getScene().getWindow() == again[0]).queryAs(SplitPane.class);
        assertEquals(mainSet[0], main.getDividerPositions()[0], 0.01);
        assertEquals(mainSet[1], main.getDividerPositions()[1], 0.01);
        SplitPane outer = robot.lookup("#outerSplit").match(n -> n.getScene().getWindow() == again[0]).queryAs(SplitPane.class);
        assertEquals(outerSet[0], outer.getDividerPositions()[0], 0.01);
        robot.interact(again[0]::hide);
    }
}
