package dev.controlroom.ui.agents;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.NewAgent;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;
import java.util.Optional;

/**
 * The hire / edit dialog's state: what a person typed, and what is wrong with it (empty when the
 * agent can be stored). Names are unique across the whole roster, fired agents included, because
 * a fired agent keeps its name for rehiring.
 */
public final class AgentForm {
    public static final int MAX_SLOTS = 32;

    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty team = new SimpleStringProperty("");
    private final ObjectProperty<AgentProfile> profile = new SimpleObjectProperty<>(AgentProfile.CLAUDE);
    private final StringProperty model = new SimpleStringProperty("");
    private final StringProperty command = new SimpleStringProperty("");
    private final ObjectProperty<Integer> slots = new SimpleObjectProperty<>(1);
    private final BooleanProperty enabled = new SimpleBooleanProperty(true);
    private final Optional<Agent> editing;
    private final List<Agent> roster;
    private final StringBinding problem;

    private AgentForm(Optional<Agent> editing, List<Agent> roster) {
        this.editing = editing;
        this.roster = List.copyOf(roster);
        this.problem = Bindings.createStringBinding(this::findProblem, name, profile, command, slots);
    }

    /** An empty form for hiring, with the next free "claude-N" style name. */
    public static AgentForm hire(List<Agent> roster) {
        AgentForm form = new AgentForm(Optional.empty(), roster);
        form.name.set(form.freeName(AgentProfile.CLAUDE));
        form.team.set(roster.stream().flatMap(a -> a.team().stream()).findFirst().orElse(""));
        return form;
    }

    /** A form filled with an agent's current settings. */
    public static AgentForm edit(Agent agent, List<Agent> roster) {
        AgentForm form = new AgentForm(Optional.of(agent), roster);
        form.name.set(agent.name());
        form.team.set(agent.team().orElse(""));
        form.profile.set(agent.profile());
        form.model.set(agent.model().orElse(""));
        form.command.set(agent.commandTemplate().orElse(""));
        form.slots.set(agent.maxConcurrent());
        form.enabled.set(agent.active());
        return form;
    }

    public boolean isEdit() {
        return editing.isPresent();
    }

    public Optional<Agent> editing() {
        return editing;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty teamProperty() {
        return team;
    }

    public ObjectProperty<AgentProfile> profileProperty() {
        return profile;
    }

    public StringProperty modelProperty() {
        return model;
    }

    public StringProperty commandProperty() {
        return command;
    }

    public ObjectProperty<Integer> slotsProperty() {
        return slots;
    }

    public BooleanProperty enabledProperty() {
        return enabled;
    }

    /** Why the form cannot be stored yet, in words; empty when it can. */
    public StringBinding problemProperty() {
        return problem;
    }

    /** What the command field means for the chosen profile. */
    public static String commandHint(AgentProfile profile) {
        return switch (profile) {
            case CUSTOM -> "Command line run for each task; {prompt}, {workdir}, {model} and {session_id} are filled in.";
            case SHELL -> "Not used: a shell agent runs each task's own command.";
            default -> "Optional: another executable for " + profile.executable().orElse(profile.id())
                    + " (a full path or a wrapper); empty runs it from PATH.";
        };
    }

    /** The agent as the store takes it; only valid when {@link #problemProperty()} is empty. */
    public NewAgent toNewAgent() {
        return new NewAgent(name.get().strip(), text(team), profile.get(), text(model),
                profile.get() == AgentProfile.SHELL ? Optional.empty() : text(command), slots.get());
    }

    private String findProblem() {
        String n = name.get() == null ? "" : name.get().strip();
        if (n.isEmpty()) {
            return "An agent needs a name.";
        }
        Optional<Agent> same = roster.stream().filter(a -> a.name().equals(n))
                .filter(a -> editing.map(e -> e.id() != a.id()).orElse(true)).findFirst();
        if (same.isPresent()) {
            return "The name " + n + " is taken" + (same.get().active() ? "." : " by a former agent: rehire it, or choose another name.");
        }
        String cmd = command.get() == null ? "" : command.get().strip();
        AgentProfile p = profile.get();
        if (p == AgentProfile.CUSTOM && !cmd.contains("{prompt}")) {
            return "A custom agent needs a command line with {prompt} where the task's prompt goes.";
        }
        if (p.isAi() && !cmd.isEmpty() && (cmd.contains(" ") || cmd.contains("{"))) {
            return "For a " + p.id() + " agent the command is a single executable; use the custom profile for a full command line.";
        }
        Integer s = slots.get();
        if (s == null || s < 1 || s > MAX_SLOTS) {
            return "Slots must be between 1 and " + MAX_SLOTS + ".";
        }
        return "";
    }

    private String freeName(AgentProfile p) {
        for (int i = 1; ; i++) {
            String candidate = p.id() + "-" + i;
            if (roster.stream().noneMatch(a -> a.name().equals(candidate))) {
                return candidate;
            }
        }
    }

    /** Suggests a free name for a newly chosen profile while the name is still a suggestion. */
    public void profileChosen(AgentProfile old, AgentProfile chosen) {
        if (!isEdit() && old != null && name.get().matches(java.util.regex.Pattern.quote(old.id()) + "-\\d+")) {
            name.set(freeName(chosen));
        }
    }

    private static Optional<String> text(StringProperty p) {
        return Optional.ofNullable(p.get()).map(String::strip).filter(s -> !s.isEmpty());
    }
}
