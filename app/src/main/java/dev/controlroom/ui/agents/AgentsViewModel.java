package dev.controlroom.ui.agents;

import dev.controlroom.agent.CliVersions.CliVersion;
import dev.controlroom.agent.CliVersions;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Failures;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.CostEstimate;
import dev.controlroom.domain.Price;
import dev.controlroom.domain.TestedCliVersions;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.AgentStore.CurrentWork;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.PaneLoader;
import dev.controlroom.ui.common.TaskRow;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The roster as the agents pane shows it, and what a person does to it: hire, edit, fire, rehire,
 * hand a task to an agent. Every change is stored on the background executor, then the engine is
 * told and the window reloads.
 */
public final class AgentsViewModel implements PaneLoader<AgentsViewModel.Loaded> {
    /** What one refresh read for the pane. */
    public record Loaded(List<AgentView> agents) {
    }

    /** The engine, the store and the window services the pane acts through. */
    public record Services(Store store, Orchestrator orchestrator, Executor background, Executor fx, Clock clock,
                           ReadOnlyObjectProperty<Optional<RunSummary>> lastRun, ObjectProperty<TaskRow> selectedTask,
                           Consumer<String> showError, Runnable refresh, Supplier<CompletableFuture<List<CliVersion>>> probeClis) {
    }

    private final Services services;
    private final ObservableList<AgentView> active = FXCollections.observableArrayList();
    private final ObservableList<AgentView> former = FXCollections.observableArrayList();
    private final ObservableList<Agent> roster = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper heading = new ReadOnlyStringWrapper("Agents");
    private final ReadOnlyStringWrapper formerHeading = new ReadOnlyStringWrapper("Former agents");
    private final ReadOnlyStringWrapper clis = new ReadOnlyStringWrapper("Looking for agent CLIs on PATH…");
    private final ReadOnlyObjectWrapper<Instant> now;
    /** Profiles whose CLI was looked for and not found; read by the loader thread, replaced whole on the FX thread. */
    private volatile Set<AgentProfile> missingClis = Set.of();

    public AgentsViewModel(Services services) {
        this.services = services;
        this.now = new ReadOnlyObjectWrapper<>(services.clock().instant());
        // One clock for every card's elapsed time, not a timer per card.
        Timeline tick = new Timeline(new KeyFrame(Duration.seconds(1), e -> now.set(services.clock().instant())));
        tick.setCycleCount(Animation.INDEFINITE);
        tick.play();
    }

    public ObservableList<AgentView> activeAgents() {
        return FXCollections.unmodifiableObservableList(active);
    }

    public ObservableList<AgentView> formerAgents() {
        return FXCollections.unmodifiableObservableList(former);
    }

    public ReadOnlyStringProperty headingProperty() {
        return heading.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty formerHeadingProperty() {
        return formerHeading.getReadOnlyProperty();
    }

    /** "claude 2.1.197 · codex 0.169.0 — not found: gemini, aider". */
    public ReadOnlyStringProperty clisProperty() {
        return clis.getReadOnlyProperty();
    }

    /** The time the cards measure elapsed work against; moves once a second. */
    public ReadOnlyObjectProperty<Instant> nowProperty() {
        return now.getReadOnlyProperty();
    }

    // ------------------------------------------------------------------------------ loading

    @Override
    public Loaded load(Store store, Context context) {
        List<Agent> all = store.agents().listAll();
        Map<Long, List<CurrentWork>> work = store.agents().currentWork().stream()
                .collect(Collectors.groupingBy(CurrentWork::agentId));
        Instant midnight = LocalDate.now(services.clock().withZone(ZoneId.systemDefault())).atStartOfDay(ZoneId.systemDefault()).toInstant();
        Map<Long, Map<String, Price.Tokens>> tokens = store.agents().tokensSince(midnight);
        List<Price> prices = store.prices().list();
        Set<AgentProfile> missing = missingClis;
        return new Loaded(all.stream().map(a -> view(a, work.getOrDefault(a.id(), List.of()), tokens.getOrDefault(a.id(), Map.of()),
                prices, missing.contains(a.profile()) && a.commandTemplate().isEmpty())).toList());
    }

    static AgentView view(Agent agent, List<CurrentWork> work, Map<String, Price.Tokens> byModel, List<Price> prices,
                                  boolean missing) {
        Price.Tokens total = byModel.values().stream().reduce(Price.Tokens.NONE, Price.Tokens::plus);
        // Tokens of no named model were used on the agent's own model.
        return new AgentView(agent, work, total, CostEstimate.of(prices, byModel, agent.model()), missing);
    }

    @Override
    public void apply(Loaded loaded) {
        List<AgentView> nowActive = loaded.agents().stream().filter(a -> a.agent().active()).toList();
        List<AgentView> nowFormer = loaded.agents().stream().filter(a -> !a.agent().active()).toList();
        // Replacing equal items would rebuild every card on every beat.
        if (!nowActive.equals(active)) {
            active.setAll(nowActive);
        }
        if (!nowFormer.equals(former)) {
            former.setAll(nowFormer);
        }
        roster.setAll(loaded.agents().stream().map(AgentView::agent).toList());
        long busy = nowActive.stream().filter(AgentView::busy).count();
        heading.set("Agents (" + nowActive.size() + " active" + (busy > 0 ? ", " + busy + " busy" : "") + ")");
        formerHeading.set("Former agents (" + nowFormer.size() + ")");
    }

    // ------------------------------------------------------------------------------ CLIs

    /** Asks every agent CLI for its version, off the FX thread, and remembers the answers. */
    public void detectClis() {
        clis.set("Looking for agent CLIs on PATH…");
        // Searching PATH and starting the CLIs is I/O: never on the FX thread.
        CompletableFuture.supplyAsync(services.probeClis(), services.background()).thenCompose(probe -> probe).thenApplyAsync(found -> {
            // Kept in the settings so the command line's agents listing shows them too.
            found.forEach(c -> services.store().settings().put(CliVersions.SETTING_PREFIX + c.name(), c.settingValue()));
            return found;
        }, services.background()).whenCompleteAsync((found, error) -> {
            if (error != null) {
                clis.set("Could not ask the agent CLIs for their versions: " + Failures.rootMessage(error));
                return;
            }
            clis.set(describe(found));
            Set<AgentProfile> missing = EnumSet.noneOf(AgentProfile.class);
            found.stream().filter(c -> !c.found()).forEach(c -> missing.add(c.profile()));
            missingClis = Set.copyOf(missing);
            services.refresh().run();
        }, services.fx());
    }

    /** The CLIs found with their versions first, then the missing ones in one short list. */
    static String describe(List<CliVersion> found) {
        String present = found.stream().filter(CliVersion::found).map(c -> c.describe() + c.version()
                        .filter(v -> TestedCliVersions.warning(c.profile(), c.name(), v).isPresent())
                        .flatMap(v -> TestedCliVersions.newest(c.profile())).map(tested -> " (newer than tested " + tested + ")").orElse(""))
                .collect(Collectors.joining(" · "));
        String missing = found.stream().filter(c -> !c.found()).map(CliVersion::name).collect(Collectors.joining(", "));
        if (present.isEmpty()) {
            return "No agent CLI on PATH (looked for " + missing + "); shell agents work without one.";
        }
        return missing.isEmpty() ? present : present + " — not found: " + missing;
    }

    // ------------------------------------------------------------------------------ commands

    /** Every agent on the roster, active or fired: what the editor checks a name against. */
    public List<Agent> roster() {
        return List.copyOf(roster);
    }

    public void hire(NewAgent agent, boolean enabled) {
        change(store -> {
            Agent hired = store.agents().hire(agent);
            if (!enabled) {
                store.agents().fire(hired.id());
            }
        });
    }

    public void edit(long id, NewAgent changes) {
        change(store -> store.agents().edit(id, changes));
    }

    /**
     * What firing a busy agent means, for the person to confirm; empty when the agent is idle.
     */
    public Optional<String> fireWarning(AgentView agent) {
        return agent.currentWork().map(w -> agent.name() + " is working on task " + w.taskKey() + " (run " + w.runId() + ", "
                + "session " + w.sessionId() + "). Firing it does not end that session: it finishes the task, "
                + "and then the agent takes no new work. To stop the work now, cancel or reassign the task.");
    }

    public void fire(long id) {
        change(store -> store.agents().fire(id));
    }

    public void rehire(long id) {
        change(store -> store.agents().rehire(id));
    }

    /** Hands a task of the newest run to this agent; a running session of it is ended and the task queued again. */
    public void assign(String taskKey, String agentName) {
        Optional<RunSummary> run = services.lastRun().get();
        if (run.isEmpty()) {
            services.showError().accept("Cannot assign " + taskKey + " to " + agentName + ": this task list has not been run yet.");
            return;
        }
        services.orchestrator().reassignTask(run.get().id(), taskKey, agentName).whenCompleteAsync((ok, error) -> {
            if (error != null) {
                services.showError().accept("Cannot assign " + taskKey + " to " + agentName + ": " + Failures.rootMessage(error));
            }
            services.refresh().run();
        }, services.fx());
    }

    /** The task selected in the window, if any: what "Assign selected task here" hands over. */
    public Optional<String> selectedTaskKey() {
        return Optional.ofNullable(services.selectedTask().get()).map(TaskRow::key);
    }

    public void assignSelected(String agentName) {
        selectedTaskKey().ifPresentOrElse(key -> assign(key, agentName),
                () -> services.showError().accept("Select a task first, then assign it to " + agentName + "."));
    }

    private void change(Consumer<Store> work) {
        CompletableFuture.runAsync(() -> work.accept(services.store()), services.background()).whenCompleteAsync((ok, error) -> {
            if (error != null) {
                services.showError().accept(Failures.rootMessage(error));
            } else {
                services.orchestrator().rosterChanged();
            }
            services.refresh().run();
        }, services.fx());
    }
}
