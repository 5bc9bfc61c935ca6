package dev.controlroom.ui.agents;

import dev.controlroom.ui.common.TaskDrag;
import dev.controlroom.ui.common.View;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A card per agent: name, status badge, profile and model, current task with its elapsed time,
 * record and tokens today. Fired agents wait under "Former agents". Forwards every action to the
 * view model; the dialogs only collect what the person decided.
 */
public final class AgentsPaneController {
    private final AgentsViewModel viewModel;

    @FXML
    private Label heading;
    @FXML
    private Label cliLabel;
    @FXML
    private ListView<AgentView> agentList;
    @FXML
    private TitledPane formerPane;
    @FXML
    private ListView<AgentView> formerAgentList;

    public AgentsPaneController(AgentsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        heading.textProperty().bind(viewModel.headingProperty());
        cliLabel.textProperty().bind(viewModel.clisProperty());
        cliLabel.setTooltip(new Tooltip());
        cliLabel.getTooltip().textProperty().bind(viewModel.clisProperty());
        agentList.setItems(viewModel.activeAgents());
        Label empty = new Label("No active agents. Hire one to give the tasks someone to run them.");
        empty.setWrapText(true);
        empty.getStyleClass().add("empty-state");
        agentList.setPlaceholder(empty);
        agentList.setCellFactory(list -> new AgentCard());
        formerPane.textProperty().bind(viewModel.formerHeadingProperty());
        formerAgentList.setItems(viewModel.formerAgents());
        Label none = new Label("Nobody has been fired.");
        none.getStyleClass().add("empty-state");
        formerAgentList.setPlaceholder(none);
        formerAgentList.setCellFactory(list -> new AgentCard());
        // The CLIs are asked for their versions once the window shows its first data (DesktopApp): not before.
    }

    @FXML
    void onHire() {
        openEditor(AgentForm.hire(viewModel.roster()));
    }

    @FXML
    void onDetect() {
        viewModel.detectClis();
    }

    private void openEditor(AgentForm form) {
        FXMLLoader loader = new FXMLLoader(View.AGENT_EDITOR.url());
        loader.setControllerFactory(type -> new AgentEditorController(form));
        Node content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the agent editor: " + e.getMessage(), e);
        }
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(agentList.getScene().getWindow());
        dialog.setTitle(form.isEdit() ? "Edit agent " + form.editing().orElseThrow().name() : "Hire an agent");
        dialog.setHeaderText(form.isEdit() ? "Changes apply to the agent's next task; its record stays."
                : "A new agent joins the roster and takes work at once when active.");
        dialog.getDialogPane().setId("agent-editor");
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getStylesheets().setAll(agentList.getScene().getStylesheets());
        ButtonType save = new ButtonType(form.isEdit() ? "Save" : "Hire", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(save, ButtonType.CANCEL);
        dialog.getDialogPane().lookupButton(save).disableProperty().bind(form.problemProperty().isNotEmpty());
        dialog.getDialogPane().lookupButton(save).setId("agent-editor-save");
        dialog.setOnHidden(e -> {
            if (dialog.getResult() != save) {
                return;
            }
            if (form.isEdit()) {
                var agent = form.editing().orElseThrow();
                viewModel.edit(agent.id(), form.toNewAgent());
                if (form.enabledProperty().get() != agent.active()) {
                    if (agent.active()) {
                        viewModel.fire(agent.id());
                    } else {
                        viewModel.rehire(agent.id());
                    }
                }
            } else {
                viewModel.hire(form.toNewAgent(), form.enabledProperty().get());
            }
        });
        dialog.show();
    }

    private void fire(AgentView agent) {
        Optional<String> warning = viewModel.fireWarning(agent);
        if (warning.isEmpty()) {
            viewModel.fire(agent.id());
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, warning.get(), new ButtonType("Fire", ButtonBar.ButtonData.OK_DONE),
                ButtonType.CANCEL);
        confirm.initOwner(agentList.getScene().getWindow());
        confirm.setTitle("Fire " + agent.name());
        confirm.setHeaderText("Fire " + agent.name() + " while it works?");
        confirm.getDialogPane().setId("fire-confirm");
        confirm.setOnHidden(e -> {
            if (confirm.getResult() != null && confirm.getResult().getButtonData() == ButtonBar.ButtonData.OK_DONE) {
                viewModel.fire(agent.id());
            }
        });
        confirm.show();
    }

    /** What a task dropped on a card does: hands it to that agent in the newest run. */
    void dropTask(String taskKey, AgentView agent) {
        viewModel.assign(taskKey, agent.name());
    }

    /** One agent as a card; the same cell serves active and former agents. */
    final class AgentCard extends ListCell<AgentView> {
        private final Label name = new Label();
        private final Label badge = new Label();
        private final Label kind = new Label();
        private final Label work = new Label();
        private final Label elapsed = new Label();
        private final HBox workLine = new HBox(6, work, elapsed);
        private final Label record = new Label();
        private final Button primary = new Button();
        private final Button edit = new Button("Edit");
        private final VBox card;
        private final ChangeListener<Instant> tick = (obs, old, now) -> showElapsed(now);

        AgentCard() {
            name.getStyleClass().add("agent-name");
            name.setMinWidth(0);
            badge.getStyleClass().add("status-badge");
            badge.setMinWidth(Region.USE_PREF_SIZE);
            kind.getStyleClass().add("agent-kind");
            work.getStyleClass().add("agent-work");
            elapsed.getStyleClass().add("agent-elapsed");
            elapsed.setMinWidth(Region.USE_PREF_SIZE);
            record.getStyleClass().add("agent-record");
            record.setWrapText(true);
            workLine.setAlignment(Pos.CENTER_LEFT);
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox top = new HBox(8, name, spacer, badge);
            top.setAlignment(Pos.CENTER_LEFT);
            primary.getStyleClass().addAll("small", "flat", "agent-action");
            edit.getStyleClass().addAll("small", "flat", "agent-action", "agent-edit");
            HBox actions = new HBox(2, edit, primary);
            actions.setAlignment(Pos.CENTER_RIGHT);
            card = new VBox(3, top, kind, workLine, record, actions);
            card.getStyleClass().add("agent-card");
            // A zero preferred width lets the card follow the list's width instead of widening it.
            setPrefWidth(0);
            kind.setMinWidth(0);
            work.setMinWidth(0);
            record.setMinWidth(0);
            viewModel.nowProperty().addListener(new WeakChangeListener<>(tick));
            edit.setOnAction(e -> current().ifPresent(a -> openEditor(AgentForm.edit(a.agent(), viewModel.roster()))));
            primary.setOnAction(e -> current().ifPresent(a -> {
                if (a.agent().active()) {
                    fire(a);
                } else {
                    viewModel.rehire(a.id());
                }
            }));
            setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                    current().ifPresent(a -> openEditor(AgentForm.edit(a.agent(), viewModel.roster())));
                }
            });
            setOnDragOver(this::dragOver);
            setOnDragExited(e -> card.getStyleClass().removeAll("drop-target", "drop-refused"));
            setOnDragDropped(this::dropped);
        }

        private Optional<AgentView> current() {
            return isEmpty() ? Optional.empty() : Optional.ofNullable(getItem());
        }

        private void dragOver(DragEvent e) {
            if (!e.getDragboard().hasContent(TaskDrag.FORMAT)) {
                return;
            }
            boolean takes = current().map(a -> a.agent().active()).orElse(false);
            card.getStyleClass().removeAll("drop-target", "drop-refused");
            card.getStyleClass().add(takes ? "drop-target" : "drop-refused");
            if (takes) {
                e.acceptTransferModes(TransferMode.MOVE, TransferMode.COPY, TransferMode.LINK);
            }
            e.consume();
        }

        private void dropped(DragEvent e) {
            Object key = e.getDragboard().getContent(TaskDrag.FORMAT);
            boolean done = key instanceof String k && current().map(a -> {
                dropTask(k, a);
                return true;
            }).orElse(false);
            card.getStyleClass().removeAll("drop-target", "drop-refused");
            e.setDropCompleted(done);
            e.consume();
        }

        @Override
        protected void updateItem(AgentView agent, boolean empty) {
            super.updateItem(agent, empty);
            badge.getStyleClass().removeIf(c -> c.startsWith("status-") && !c.equals("status-badge"));
            card.getStyleClass().removeAll("agent-fired", "drop-target", "drop-refused");
            if (empty || agent == null) {
                setGraphic(null);
                setContextMenu(null);
                setId(null);
                return;
            }
            setId("agent-card-" + agent.name());
            name.setText(agent.name());
            badge.setText(agent.badge());
            badge.getStyleClass().add("status-" + agent.status().label());
            badge.setTooltip(agent.missingCli() && agent.agent().active()
                    ? new Tooltip(agent.agent().profile().executable().orElse("") + " was not found on PATH") : null);
            kind.setText(agent.kind());
            workLine.setVisible(agent.busy());
            workLine.setManaged(agent.busy());
            work.setText("▶ " + agent.workText().orElse(""));
            showElapsed(viewModel.nowProperty().get());
            record.setText(agent.record());
            boolean active = agent.agent().active();
            if (!active) {
                card.getStyleClass().add("agent-fired");
            }
            primary.setText(active ? "Fire" : "Rehire");
            primary.getStyleClass().removeAll("agent-fire", "agent-rehire");
            primary.getStyleClass().add(active ? "agent-fire" : "agent-rehire");
            setContextMenu(menu(agent));
            setGraphic(card);
        }

        private void showElapsed(Instant now) {
            current().flatMap(a -> a.elapsed(now)).ifPresentOrElse(elapsed::setText, () -> elapsed.setText(""));
        }

        private ContextMenu menu(AgentView agent) {
            MenuItem editItem = new MenuItem("Edit…");
            editItem.setOnAction(e -> openEditor(AgentForm.edit(agent.agent(), viewModel.roster())));
            if (!agent.agent().active()) {
                MenuItem rehire = new MenuItem("Rehire");
                rehire.setOnAction(e -> viewModel.rehire(agent.id()));
                return new ContextMenu(rehire, editItem);
            }
            MenuItem assign = new MenuItem("Assign selected task here");
            assign.setOnAction(e -> viewModel.assignSelected(agent.name()));
            ContextMenu menu = new ContextMenu(assign, new SeparatorMenuItem(), editItem);
            MenuItem fireItem = new MenuItem("Fire…");
            fireItem.setOnAction(e -> fire(agent));
            menu.getItems().add(fireItem);
            // The selection can change while the card stays the same: read it when the menu opens.
            menu.setOnShowing(e -> {
                Optional<String> key = viewModel.selectedTaskKey();
                assign.setDisable(key.isEmpty());
                assign.setText(key.map(k -> "Assign " + k + " here").orElse("Assign selected task here"));
            });
            return menu;
        }
    }
}
