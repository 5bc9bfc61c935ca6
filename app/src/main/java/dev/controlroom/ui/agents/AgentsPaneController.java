package dev.controlroom.ui.agents;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentStatus;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.Arrays;
import java.util.Locale;

/** A card per agent: name, status badge, profile and model, record so far. */
public final class AgentsPaneController {
    private final AgentsViewModel viewModel;

    @FXML
    private Label heading;
    @FXML
    private ListView<Agent> agentList;

    public AgentsPaneController(AgentsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    void initialize() {
        heading.textProperty().bind(viewModel.headingProperty());
        agentList.setItems(viewModel.agents());
        agentList.setPlaceholder(new Label("No agents on the roster yet."));
        agentList.setCellFactory(list -> new AgentCard());
    }

    /** One agent as a card. */
    static final class AgentCard extends ListCell<Agent> {
        private final Label name = new Label();
        private final Label badge = new Label();
        private final Label kind = new Label();
        private final Label record = new Label();
        private final VBox card;

        AgentCard() {
            name.getStyleClass().add("agent-name");
            badge.getStyleClass().add("status-badge");
            kind.getStyleClass().add("agent-kind");
            record.getStyleClass().add("agent-record");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox top = new HBox(8, name, spacer, badge);
            top.setAlignment(Pos.CENTER_LEFT);
            card = new VBox(3, top, kind, record);
            card.getStyleClass().add("agent-card");
            // A zero preferred width lets the card follow the list's width instead of widening it.
            setPrefWidth(0);
            kind.setMinWidth(0);
            record.setMinWidth(0);
        }

        @Override
        protected void updateItem(Agent agent, boolean empty) {
            super.updateItem(agent, empty);
            badge.getStyleClass().removeIf(c -> c.startsWith("status-") && !c.equals("status-badge"));
            if (empty || agent == null) {
                setGraphic(null);
                return;
            }
            name.setText(agent.name());
            AgentStatus status = agent.active() ? agent.status() : AgentStatus.OFFLINE;
            badge.setText(agent.active() ? status.label() : "fired");
            badge.getStyleClass().add("status-" + status.id().replace('_', '-'));
            kind.setText(String.join(" · ", Arrays.asList(agent.profile().id(),
                    agent.model().orElse("default model"), agent.team().orElse("no team"))));
            var stats = agent.stats();
            String rate = stats.successRate().isPresent()
                    ? String.format(Locale.ROOT, "%.0f%% success", stats.successRate().getAsDouble() * 100) : "no tasks yet";
            record.setText(rate + " · " + stats.succeeded() + "✓ " + stats.failed() + "✗ · "
                    + String.format(Locale.ROOT, "%,d", stats.tokens()) + " tokens · " + agent.maxConcurrent() + (agent.maxConcurrent() == 1 ? " slot" : " slots"));
            setGraphic(card);
        }
    }
}
