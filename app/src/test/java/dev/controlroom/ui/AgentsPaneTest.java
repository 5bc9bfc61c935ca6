package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;
import dev.controlroom.ui.agents.AgentView;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class AgentsPaneTest {
    private ControlRoom room;
    private Store store;
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("cr-agents");
        room = ControlRoom.open(dir.resolve("test.db"));
        store = room.store();
        viewModel = new DesktopApp(store, room.orchestrator(), room.background(), "test").show(stage);
    }

    @AfterEach
    void close() {
        room.close();
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
    }

    private ListView<AgentView> active(FxRobot robot) {
        return robot.lookup("#agentList").queryListView();
    }

    private boolean listed(FxRobot robot, String listId, String name) {
        ListView<AgentView> list = robot.lookup(listId).queryListView();
        return list.getItems().stream().anyMatch(a -> a.name().equals(name));
    }

    @Test
    void hiringThroughTheDialogStoresTheAgentAndShowsItsCard(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());

        robot.clickOn("#hireButton");
        waitUntil(() -> robot.lookup("#agent-editor").tryQuery().isPresent());
        DialogPane editor = robot.lookup("#agent-editor").queryAs(DialogPane.class);
        robot.interact(() -> {
            ((TextField) editor.lookup("#nameField")).setText("shell-1");
            @SuppressWarnings("unchecked")
            ComboBox<AgentProfile> profile = (ComboBox<AgentProfile>) editor.lookup("#profileChooser");
            profile.setValue(AgentProfile.SHELL);
        });
        // The seeded agent already has that name: the dialog says so and will not save.
        assertTrue(((Label) editor.lookup("#problemLabel")).getText().contains("taken"));
        assertTrue(editor.lookupButton(editor.getButtonTypes().getFirst()).isDisabled());

        robot.interact(() -> ((TextField) editor.lookup("#nameField")).setText("helper"));
        robot.clickOn("#agent-editor-save");

        waitUntil(() -> store.agents().findByName("helper").isPresent());
        Agent helper = store.agents().findByName("helper").orElseThrow();
        assertEquals(AgentProfile.SHELL, helper.profile());
        assertTrue(helper.active());
        waitUntil(() -> listed(robot, "#agentList", "helper"));
        assertTrue(robot.lookup("#agent-card-helper").tryQuery().isPresent());
    }

    @Test
    void editingChangesTheStoredAgent(FxRobot robot) throws Exception {
        store.agents().hire(new NewAgent("writer", Optional.empty(), AgentProfile.CUSTOM, Optional.empty(),
                Optional.of("echo {prompt}"), 1));
        robot.interact(viewModel::refresh);
        waitUntil(() -> listed(robot, "#agentList", "writer"));

        robot.clickOn("#agent-card-writer .agent-edit");
        waitUntil(() -> robot.lookup("#agent-editor").tryQuery().isPresent());
        DialogPane editor = robot.lookup("#agent-editor").queryAs(DialogPane.class);
        assertEquals("writer", ((TextField) editor.lookup("#nameField")).getText());
        robot.interact(() -> {
            ((TextField) editor.lookup("#modelField")).setText("model-x");
            ((TextField) editor.lookup("#commandField")).setText("printf %s {prompt}");
        });
        robot.clickOn("#agent-editor-save");

        waitUntil(() -> store.agents().findByName("writer").orElseThrow().model().equals(Optional.of("model-x")));
        assertEquals(Optional.of("printf %s {prompt}"), store.agents().findByName("writer").orElseThrow().commandTemplate());
        waitUntil(() -> active(robot).getItems().stream().anyMatch(a -> a.kind().contains("model-x")));
    }

    @Test
    void firingMovesTheAgentToFormerAgentsAndRehiringBringsItBack(FxRobot robot) throws Exception {
        store.agents().hire(NewAgent.of("temp", null, AgentProfile.SHELL));
        robot.interact(viewModel::refresh);
        waitUntil(() -> listed(robot, "#agentList", "temp"));

        robot.clickOn("#agent-card-temp .agent-fire");

        waitUntil(() -> !store.agents().findByName("temp").orElseThrow().active());
        waitUntil(() -> listed(robot, "#formerAgentList", "temp") && !listed(robot, "#agentList", "temp"));
        assertEquals("Former agents (1)", robot.lookup("#formerPane").queryAs(TitledPane.class).getText());

        robot.interact(() -> robot.lookup("#formerPane").queryAs(TitledPane.class).setExpanded(true));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Node rehire = robot.from(robot.lookup("#formerAgentList").queryListView()).lookup(".agent-rehire")
                .match(javafx.scene.Node::isVisible).query();
        robot.clickOn(rehire);

        waitUntil(() -> store.agents().findByName("temp").orElseThrow().active());
        waitUntil(() -> listed(robot, "#agentList", "temp") && !listed(robot, "#formerAgentList", "temp"));
    }

    @Test
    void aTaskDroppedOnAnAgentIsReassignedToItInTheNewestRun(FxRobot robot) throws Exception {
        store.agents().hire(NewAgent.of("spare", null, AgentProfile.SHELL));
        room.orchestrator().rosterChanged();
        PlanSummary plan = store.plans().importPlan(new PlanReader(Set.of()).parse("""
                name: long
                tasks:
                  - { id: wait, command: 'sleep 30' }
                """, PlanReader.Format.YAML, "long.yaml").orThrow(), PlanStore.Source.of(null, "yaml", null));
        robot.interact(() -> viewModel.selectedPlanProperty().set(plan));
        String runId = room.orchestrator().start(plan.id(), new RunOptions(1, WaveMode.DATAFLOW, "ui")).get(10, TimeUnit.SECONDS);
        waitUntil(() -> viewModel.lastRunProperty().get().map(r -> r.id().equals(runId)).orElse(false));
        waitUntil(() -> active(robot).getItems().stream().anyMatch(a -> a.busy()));
        AgentView busy = active(robot).getItems().stream().filter(AgentView::busy).findFirst().orElseThrow();
        assertTrue(busy.workText().orElseThrow().startsWith("wait"), busy.workText().toString());

        // What the card's drop handler does with the dragged task key.
        robot.interact(() -> viewModel.agents().assign("wait", "spare"));

        waitUntil(() -> store.events().latest(50).stream().anyMatch(e -> e.type().id().equals("task_reassigned")
                && e.message().contains("spare")));
        long spare = store.agents().findByName("spare").orElseThrow().id();
        waitUntil(() -> store.runs().sessions(runId).stream().anyMatch(s -> s.agentId().equals(Optional.of(spare)) && s.isOpen()));
        room.orchestrator().cancel(runId).get(10, TimeUnit.SECONDS);
        room.orchestrator().finished(runId).get(15, TimeUnit.SECONDS);
        // The window reloads once more after the last engine event; let it finish before the store closes.
        Thread.sleep(2 * MainViewModel.REFRESH_BEAT_MS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aRefusedAssignmentIsExplainedInTheStatusBar(FxRobot robot) throws Exception {
        waitUntil(() -> viewModel.loadedOnceProperty().get());

        robot.interact(() -> viewModel.agents().assign("hello", "shell-1"));

        Label error = robot.lookup("#errorLabel").queryAs(Label.class);
        waitUntil(() -> error.getText().contains("not been run yet"));
        assertFalse(error.getText().isBlank());
    }
}
