package dev.controlroom.ui;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.store.Store;
import dev.controlroom.ui.agents.AgentsViewModel;
import dev.controlroom.ui.events.EventsViewModel;
import dev.controlroom.ui.logs.LogsViewModel;
import dev.controlroom.ui.tasks.TaskRow;
import dev.controlroom.ui.tasks.TasksViewModel;
import dev.controlroom.ui.waves.WavesViewModel;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The window's state: which task list is selected, the theme, and the pane view models. Loads
 * everything from the store on the background executor and applies it on the FX thread.
 */
public final class MainViewModel {
    private static final Logger LOG = Logger.getLogger(MainViewModel.class.getName());
    static final String THEME_KEY = "ui.theme";
    private static final int EVENTS_SHOWN = 200;

    private final Store store;
    private final Orchestrator orchestrator;
    private final Executor background;
    private final Executor fx;
    /** Engine events arrive by the hundred a second; they only mark the panes stale, one reload per beat follows. */
    private final java.util.concurrent.atomic.AtomicBoolean stale = new java.util.concurrent.atomic.AtomicBoolean();
    private final ReadOnlyObjectWrapper<Optional<RunSummary>> lastRun = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyStringWrapper actionError = new ReadOnlyStringWrapper("");

    private final AgentsViewModel agents = new AgentsViewModel();
    private final TasksViewModel tasks = new TasksViewModel();
    private final WavesViewModel waves = new WavesViewModel();
    private final LogsViewModel logs = new LogsViewModel();
    private final EventsViewModel events = new EventsViewModel();
    private final List<PaneLoader<?>> loaders = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final ObservableList<PlanSummary> plans = FXCollections.observableArrayList();
    private final ObjectProperty<PlanSummary> selectedPlan = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<Theme> theme = new ReadOnlyObjectWrapper<>(Theme.DARK);
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper loadedOnce = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("Loading…");
    private final ReadOnlyStringWrapper databaseText;
    private boolean applying;

    /** The state read from the store in one go. */
    record Snapshot(List<Agent> agents, List<PlanSummary> plans, Optional<PlanSummary> plan, Optional<RunSummary> run,
                    List<TaskRow> tasks, List<Event> events, Theme theme, String outputTitle, List<String> output,
                    List<Loaded<?>> panes) {
    }

    /** A pane loader with what it read, applied together with the snapshot. */
    record Loaded<T>(PaneLoader<T> loader, T data) {
        void apply() {
            loader.apply(data);
        }

        static <T> Loaded<T> of(PaneLoader<T> loader, Store store, PaneLoader.Context context) {
            return new Loaded<>(loader, loader.load(store, context));
        }
    }

    static final long REFRESH_BEAT_MS = 300;

    public MainViewModel(Store store, Orchestrator orchestrator, Executor background, Executor fx) {
        this.store = store;
        this.orchestrator = orchestrator;
        orchestrator.addListener(events -> {
            if (stale.compareAndSet(false, true)) {
                java.util.concurrent.CompletableFuture.delayedExecutor(REFRESH_BEAT_MS, java.util.concurrent.TimeUnit.MILLISECONDS, fx)
                        .execute(() -> {
                            stale.set(false);
                            refresh();
                        });
            }
        });
        this.background = background;
        this.fx = fx;
        this.databaseText = new ReadOnlyStringWrapper(store.file().toString());
        tasks.selectedProperty().addListener((obs, old, now) -> refresh());
        selectedPlan.addListener((obs, old, now) -> {
            if (!applying && now != null && (old == null || old.id() != now.id())) {
                refresh();
            }
        });
    }

    public AgentsViewModel agents() {
        return agents;
    }

    public TasksViewModel tasks() {
        return tasks;
    }

    public WavesViewModel waves() {
        return waves;
    }

    public LogsViewModel logs() {
        return logs;
    }

    public EventsViewModel events() {
        return events;
    }

    /** The store, the engine and the two executors, for panes that act on their own. */
    public Store store() {
        return store;
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    public Executor background() {
        return background;
    }

    public Executor fx() {
        return fx;
    }

    /** Adds a pane's own loading to every refresh, in the same beat as the rest of the window. */
    public void addLoader(PaneLoader<?> loader) {
        loaders.add(loader);
    }

    public ObservableList<PlanSummary> plans() {
        return FXCollections.unmodifiableObservableList(plans);
    }

    public ObjectProperty<PlanSummary> selectedPlanProperty() {
        return selectedPlan;
    }

    public ReadOnlyObjectProperty<Theme> themeProperty() {
        return theme.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True once the first load has reached the panes. */
    public ReadOnlyBooleanProperty loadedOnceProperty() {
        return loadedOnce.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty databaseTextProperty() {
        return databaseText.getReadOnlyProperty();
    }

    /** Reloads every pane from the database, off the FX thread. */
    public CompletableFuture<Void> refresh() {
        loading.set(true);
        Optional<Long> wanted = Optional.ofNullable(selectedPlan.get()).map(PlanSummary::id);
        Optional<Long> task = Optional.ofNullable(tasks.selectedProperty().get()).map(r -> r.task().id());
        return CompletableFuture.supplyAsync(() -> load(wanted, task), background)
                .handleAsync((snapshot, error) -> {
                    loading.set(false);
                    if (error != null) {
                        LOG.log(Level.WARNING, "loading the panes failed", error);
                        statusText.set("Could not read the database: " + rootMessage(error));
                    } else {
                        apply(snapshot);
                    }
                    return null;
                }, fx);
    }

    /**
     * Shows the task list of a run and selects one of its tasks (when given): for opening the
     * window on what a notification was about.
     */
    public CompletableFuture<Void> showTask(String runId, Optional<Long> taskId) {
        // A first refresh so that a task list imported since the last one is among the plans.
        return CompletableFuture.supplyAsync(() -> store.runs().find(runId).map(RunSummary::planId), background)
                .thenComposeAsync(planId -> refresh().thenApply(loaded -> planId), fx)
                .thenComposeAsync(planId -> {
                    planId.flatMap(id -> plans.stream().filter(p -> p.id() == id).findFirst()).ifPresent(selectedPlan::set);
                    return refresh();
                }, fx)
                .thenRunAsync(() -> taskId.flatMap(id -> tasks.rows().stream().filter(r -> r.task().id() == id).findFirst())
                        .ifPresent(tasks.selectedProperty()::set), fx);
    }

    /** The newest run of the selected task list, if it was ever run. */
    public ReadOnlyObjectProperty<Optional<RunSummary>> lastRunProperty() {
        return lastRun.getReadOnlyProperty();
    }

    /** Why the last control failed, in words; empty when it worked. */
    public ReadOnlyStringProperty actionErrorProperty() {
        return actionError.getReadOnlyProperty();
    }

    /** Starts a run of the selected task list with its own settings. */
    public void startSelectedPlan() {
        PlanSummary plan = selectedPlan.get();
        if (plan == null) {
            return;
        }
        control(orchestrator.start(plan.id(), new RunOptions(plan.concurrency().orElse(4), plan.waveMode(), "ui")));
    }

    public void pauseRun() {
        lastRun.get().ifPresent(r -> control(orchestrator.pause(r.id())));
    }

    public void resumeRun() {
        lastRun.get().ifPresent(r -> control(orchestrator.resume(r.id())));
    }

    public void stopRun() {
        lastRun.get().ifPresent(r -> control(orchestrator.stop(r.id())));
    }

    private void control(java.util.concurrent.CompletableFuture<?> action) {
        actionError.set("");
        action.whenCompleteAsync((ok, error) -> {
            if (error != null) {
                actionError.set(rootMessage(error));
            }
            refresh();
        }, fx);
    }

    /** Switches between dark and light and remembers the choice. */
    public void toggleTheme() {
        Theme next = theme.get().other();
        theme.set(next);
        background.execute(() -> store.settings().put(THEME_KEY, next.id()));
    }

    private Snapshot load(Optional<Long> wantedPlan, Optional<Long> selectedTask) {
        List<Agent> roster = store.agents().listAll();
        List<PlanSummary> allPlans = store.plans().list();
        Optional<PlanSummary> plan = wantedPlan.flatMap(id -> allPlans.stream().filter(p -> p.id() == id).findFirst())
                .or(() -> allPlans.stream().findFirst());
        Optional<RunSummary> run = plan.flatMap(p -> store.runs().latestOf(p.id()));
        Map<Long, String> states = new java.util.HashMap<>();
        run.ifPresent(r -> store.runs().tasks(r.id()).forEach(t -> states.put(t.taskId(), t.state().id())));
        List<TaskRow> rows = plan.map(p -> rows(store.plans().tasksOf(p.id()), states)).orElse(List.of());
        Theme savedTheme = store.settings().get(THEME_KEY).flatMap(Theme::fromId).orElse(Theme.DARK);
        String outputTitle = "Select a task to see what its agent printed.";
        List<String> output = List.of();
        Optional<dev.controlroom.domain.SessionRecord> session = run.flatMap(r -> selectedTask.flatMap(t -> store.runs().sessions(r.id())
                .stream().filter(x -> x.taskId() == t).reduce((a, b) -> b)));
        if (session.isPresent()) {
            String id = session.get().id();
            long lines = store.output().lineCount(id);
            output = store.output().lines(id, Math.max(0, lines - dev.controlroom.ui.logs.LogsViewModel.OUTPUT_LINES_SHOWN),
                    dev.controlroom.ui.logs.LogsViewModel.OUTPUT_LINES_SHOWN);
            outputTitle = "Session " + id + " · " + session.get().status() + " · " + lines + " lines";
        } else if (selectedTask.isPresent()) {
            outputTitle = "This task has not run in the newest run yet.";
        }
        PaneLoader.Context context = new PaneLoader.Context(plan, run, selectedTask);
        List<Loaded<?>> panes = loaders.stream().<Loaded<?>>map(l -> Loaded.of(l, store, context)).toList();
        return new Snapshot(roster, allPlans, plan, run, rows, store.events().latest(EVENTS_SHOWN), savedTheme, outputTitle, output,
                panes);
    }

    /** The task list's tasks with their waves and their state in the newest run ("not run" before any). */
    private static List<TaskRow> rows(List<StoredTask> stored, Map<Long, String> states) {
        Map<String, Integer> waveOf = Dag.ofTasks(stored.stream().map(StoredTask::spec).toList()).waves();
        return stored.stream().map(t -> new TaskRow(t, waveOf.get(t.key()), states.getOrDefault(t.id(), "not run"))).toList();
    }

    private void apply(Snapshot s) {
        applying = true;
        try {
            agents.show(s.agents());
            plans.setAll(s.plans());
            selectedPlan.set(s.plan().orElse(null));
            lastRun.set(s.run());
            tasks.show(s.plan().map(PlanSummary::name).orElse(""), s.tasks());
            waves.show(s.tasks());
            events.show(s.events());
            logs.showOutput(s.outputTitle(), s.output());
            if (!loadedOnce.get()) {
                theme.set(s.theme());
            }
            long active = s.agents().stream().filter(Agent::active).count();
            statusText.set(active + " active agent" + (active == 1 ? "" : "s") + " · " + s.plans().size() + " task list"
                    + (s.plans().size() == 1 ? "" : "s") + " · " + s.tasks().size() + " task" + (s.tasks().size() == 1 ? "" : "s")
                    + " in view" + s.run().map(r -> " · last run " + r.id() + ": " + r.state().id()).orElse(" · not run yet"));
            s.panes().forEach(Loaded::apply);
            loadedOnce.set(true);
        } finally {
            applying = false;
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
