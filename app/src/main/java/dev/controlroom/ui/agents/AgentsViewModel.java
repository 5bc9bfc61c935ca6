package dev.controlroom.ui.agents;

import dev.controlroom.domain.Agent;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** The roster as the agents pane shows it. */
public final class AgentsViewModel {
    private final ObservableList<Agent> agents = FXCollections.observableArrayList();
    private final ObservableList<Agent> readOnlyAgents = FXCollections.unmodifiableObservableList(agents);
    private final ReadOnlyStringWrapper heading = new ReadOnlyStringWrapper("Agents");

    public ObservableList<Agent> agents() {
        return readOnlyAgents;
    }

    public ReadOnlyStringProperty headingProperty() {
        return heading.getReadOnlyProperty();
    }

    public void show(List<Agent> roster) {
        agents.setAll(roster);
        long active = roster.stream().filter(Agent::active).count();
        heading.set("Agents (" + active + " active" + (active == roster.size() ? "" : ", " + (roster.size() - active) + " fired") + ")");
    }
}
