package dev.controlroom.ui;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.Failures;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import dev.controlroom.ui.agents.AgentsViewModel;
import dev.controlroom.ui.common.PaneLoader;
import dev.controlroom.ui.common.SelectedTaskControls;
import dev.controlroom.ui.common.TaskRow;
import dev.controlroom.ui.detail.TaskDetailViewModel;
import dev.controlroom.ui.events.EventsViewModel;
import dev.controlroom.ui.logs.LogsViewModel;
import dev.controlroom.ui.palette.Commands;
import dev.controlroom.ui.tasks.TaskListActions;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The window's state: which task list is selected, the theme, and the pane view models. Loads
 * everything from the store on the background executor and applies it on the FX thread.
 */
public final class MainViewModel {
    private static final Logger LOG = Logger.getLogger(MainViewModel.class.getName());
    static final String THEME_KEY = "ui.theme";

    private final Store store;
    private final Orchestrator orchestrator;
    private final Executor background;
    private final Executor fx;
    /** Engine events arrive by the hundred a second; they only mark the panes stale, one reload per beat follows. */
    private final AtomicBoolean stale = new AtomicBoolean();
    private final ReadOnlyObjectWrapper<Optional<RunSummary>> lastRun = new ReadOnlyObjectWrapper<>(Optional.empty());
    private final ReadOnlyStringWrapper actionError = new ReadOnlyStringWrapper("");

    private final AgentsViewModel agents;
    private final TasksViewModel tasks = new TasksViewModel();
    private final WavesViewModel waves = new WavesViewModel(tasks.selectedProperty());
    private final LogsViewModel logs;
    private final EventsViewModel events;
    /** A task to select once the task list it belongs to has been loaded. */
    private Optional<Long> pendingTask = Optional.empty();
    private final TaskListActions taskActions;
    private final List<PaneLoader<?>> loaders = new CopyOnWriteArrayList<>();
    private final Commands commands = new Commands();
    private final TaskDetailViewModel taskDetail = new TaskDetailViewModel();
    private final SelectedTaskControls taskControls;
    private final WriteHealthViewModel writeHealth;

    private final ObservableList<PlanSummary> plans = FXCollections.observableArrayList();
    private final ObjectProperty<PlanSummary> selectedPlan = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<Theme> theme = new ReadOnlyObjectWrapper<>(Theme.DARK);
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper loadedOnce = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("Loading…");
    private final ReadOnlyStringWrapper databaseText;
    /** Where the local API answers, as the engine's side wrote it when it started the API (empty: off). */
    static final String API_ADDRESS_KEY = "api.address";
    private final ReadOnlyStringWrapper apiText = new ReadOnlyStringWrapper("");
    private boolean applying;
    /** Refreshes asked for so far (FX thread); only the newest one's snapshot is shown. */
    private long refreshes;

    /** The state read from the store in one go. */
    record Snapshot(List<Agent> agents, List<PlanSummary> plans, Optional<PlanSummary> plan, Optional<RunSummary> run,
                    List<TaskRow> tasks, Theme theme, List<Loaded<?>> panes, String apiAddress) {
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
    /** The longest beat: a window busy applying snapshots still follows a run at least this often. */
    static final long MAX_REFRESH_BEAT_MS = 1500;
    /**
     * The beat in use: four times what the last snapshot took to apply on the FX thread, at least
     * {@link #REFRESH_BEAT_MS}. When many agents keep the panes busy, reloads come less often instead
     * of taking the pulses the terminals need.
     */
    private volatile long beatMs = REFRESH_BEAT_MS;

    public MainViewModel(UiServices services) {
        this.store = services.store();
        this.orchestrator = services.orchestrator();
        this.background = services.background();
        this.fx = services.fx();
        this.databaseText = new ReadOnlyStringWrapper(store.file().toString());
        this.writeHealth = new WriteHealthViewModel(store.health(), fx, services.clock().getZone());
        loaders.add(taskDetail);
        this.agents = new AgentsViewModel(new AgentsViewModel.Services(store, orchestrator, background, fx, services.clock(),
                lastRun.getReadOnlyProperty(), tasks.selectedProperty(), this::showError, this::refresh, services.probeClis()));
        loaders.add(agents);
        this.events = new EventsViewModel(store, background, fx, services.clock(),
                e -> e.taskId().ifPresent(id -> showTask(id, e.runId())));
        loaders.add(events);
        this.logs = new LogsViewModel(store, orchestrator, background, fx);
        addLoader(logs.loader());
        this.taskActions = new TaskListActions(new TaskListActions.Services(store, background, fx, selectedPlan,
                lastRun.getReadOnlyProperty(), tasks, this::refresh, this::control, this::activeAgentNames));
        this.taskControls = new SelectedTaskControls(new SelectedTaskControls.Services(orchestrator, lastRun.getReadOnlyProperty(),
                tasks.selectedProperty(), tasks.rows(), this::control, taskDetail::openSession, agents::roster));
        tasks.selectedProperty().addListener((obs, old, now) -> refresh());
        selectedPlan.addListener((obs, old, now) -> {
            if (!applying && now != null && (old == null || old.id() != now.id())) {
                refresh();
            }
        });
        orchestrator.addListener(batch -> {
            if (stale.compareAndSet(false, true)) {
                CompletableFuture.delayedExecutor(beatMs, TimeUnit.MILLISECONDS, fx).execute(() -> {
                    stale.set(false);
                    refresh();
                });
            }
        });
    }

    private List<String> activeAgentNames() {
        return agents.roster().stream().filter(Agent::active).map(Agent::name).toList();
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

    /** New list, import, export, task editing and reordering: the tasks pane's commands. */
    public TaskListActions taskActions() {
        return taskActions;
    }

    /** Whether the database takes writes (a full disk, another program's lock), for the window's banner. */
    public WriteHealthViewModel writeHealth() {
        return writeHealth;
    }

    /** The selected task's attempts and checks. */
    public TaskDetailViewModel taskDetail() {
        return taskDetail;
    }

    /** The selected task's run controls, for the detail pane, the tasks pane's menus and the palette. */
    public SelectedTaskControls taskControls() {
        return taskControls;
    }

    /** The window's commands (palette, shortcuts): panes add theirs here, one line each. */
    public Commands commands() {
        return commands;
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

    /** "API http://127.0.0.1:3333", or empty while the local API is off. */
    public ReadOnlyStringProperty apiTextProperty() {
        return apiText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty databaseTextProperty() {
        return databaseText.getReadOnlyProperty();
    }

    /** Reloads every pane from the database, off the FX thread. */
    public CompletableFuture<Void> refresh() {
        loading.set(true);
        long generation = ++refreshes;
        Optional<Long> wanted = Optional.ofNullable(selectedPlan.get()).map(PlanSummary::id);
        Optional<Long> task = Optional.ofNullable(tasks.selectedProperty().get()).map(r -> r.task().id());
        CompletableFuture<Snapshot> loaded;
        try {
            loaded = CompletableFuture.supplyAsync(() -> load(wanted, task), background);
        } catch (RejectedExecutionException closing) {
            // The application is closing: there is nothing left to show.
            loading.set(false);
            return CompletableFuture.completedFuture(null);
        }
        return loaded.handleAsync((snapshot, error) -> {
            // A newer refresh (another task list chosen, another task selected) was asked for while this one
            // loaded: showing this older snapshot would undo the person's choice for a moment, or for good.
            if (generation != refreshes) {
                return null;
            }
            loading.set(false);
            if (error != null) {
                LOG.log(Level.WARNING, "loading the panes failed", error);
                statusText.set("Could not read the database: " + Failures.rootMessage(error));
            } else {
                apply(snapshot);
            }
            return null;
        }, fx);
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

    /** Shows why {@code action} failed in the status bar (or clears the last error) and refreshes when it is done. */
    public void control(CompletableFuture<?> action) {
        actionError.set("");
        action.whenCompleteAsync((ok, error) -> {
            if (error != null) {
                actionError.set(Failures.rootMessage(error));
            }
            refresh();
        }, fx);
    }

    /**
     * Selects a task everywhere in the window; when it belongs to another task list than the one in
     * view, that list (found through the run the task was part of) is shown first. For opening the
     * window on what a notification was about.
     */
    public void showTask(long taskId, Optional<String> runId) {
        Optional<TaskRow> row = tasks.rows().stream().filter(r -> r.task().id() == taskId).findFirst();
        if (row.isPresent()) {
            tasks.selectedProperty().set(row.get());
            return;
        }
        runId.ifPresent(id -> showTask(id, Optional.of(taskId)));
    }

    /** Shows the task list of a run, selecting one of its tasks when given; completes once it is in view. */
    public CompletableFuture<Void> showTask(String runId, Optional<Long> taskId) {
        return CompletableFuture.supplyAsync(() -> store.runs().find(runId).map(RunSummary::planId), background)
                .thenComposeAsync(planId -> {
                    if (planId.isEmpty()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    Optional<PlanSummary> known = plans.stream().filter(p -> p.id() == planId.get()).findFirst();
                    // A task list imported since the last refresh is not among the plans yet.
                    CompletableFuture<Void> listed = known.isPresent() ? CompletableFuture.completedFuture(null) : refresh();
                    return listed.thenComposeAsync(done -> {
                        taskId.ifPresent(t -> pendingTask = Optional.of(t));
                        plans.stream().filter(p -> p.id() == planId.get()).findFirst().ifPresent(selectedPlan::set);
                        return refresh();
                    }, fx);
                }, fx);
    }

    /** Shows why something a person asked for did not happen, in the status bar; FX thread. */
    public void showError(String message) {
        actionError.set(message);
    }

    /** Shows the remembered theme before the first load has brought it (the window applies it before it shows); FX thread. */
    void restoreTheme(Theme saved) {
        if (!loadedOnce.get()) {
            theme.set(saved);
        }
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
        PaneLoader.Context context = new PaneLoader.Context(plan, run, selectedTask);
        List<Loaded<?>> panes = loaders.stream().<Loaded<?>>map(l -> Loaded.of(l, store, context)).toList();
        dev.controlroom.app.StartupMarks.markOnce("data read");
        String api = store.settings().get(API_ADDRESS_KEY).orElse("");
        return new Snapshot(roster, allPlans, plan, run, rows, savedTheme, panes, api);
    }

    /** The task list's tasks with their waves and their state in the newest run ("not run" before any). */
    private static List<TaskRow> rows(List<StoredTask> stored, Map<Long, String> states) {
        Map<String, Integer> waveOf = Dag.ofTasks(stored.stream().map(StoredTask::spec).toList()).waves();
        return stored.stream().map(t -> new TaskRow(t, waveOf.get(t.key()), states.getOrDefault(t.id(), TaskRow.NOT_RUN))).toList();
    }

    private void apply(Snapshot s) {
        applying = true;
        long started = System.nanoTime();
        try {
            plans.setAll(s.plans());
            selectedPlan.set(s.plan().orElse(null));
            lastRun.set(s.run());
            tasks.show(s.plan().map(PlanSummary::name).orElse(""), s.tasks());
            waves.show(s.tasks());
            pendingTask.flatMap(id -> s.tasks().stream().filter(r -> r.task().id() == id).findFirst()).ifPresent(row -> {
                pendingTask = Optional.empty();
                tasks.selectedProperty().set(row);
            });
            if (!loadedOnce.get()) {
                theme.set(s.theme());
            }
            long active = s.agents().stream().filter(Agent::active).count();
            statusText.set(active + " active agent" + (active == 1 ? "" : "s") + " · " + s.plans().size() + " task list"
                    + (s.plans().size() == 1 ? "" : "s") + " · " + s.tasks().size() + " task" + (s.tasks().size() == 1 ? "" : "s")
                    + " in view" + s.run().map(r -> " · last run " + r.id() + ": " + r.state().id()).orElse(" · not run yet"));
            apiText.set(s.apiAddress().isBlank() ? "" : "API " + s.apiAddress());
            s.panes().forEach(Loaded::apply);
            dev.controlroom.app.StartupMarks.markOnce("data applied");
            loadedOnce.set(true);
        } finally {
            applying = false;
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            beatMs = Math.min(MAX_REFRESH_BEAT_MS, Math.max(REFRESH_BEAT_MS, 4 * tookMs));
        }
    }
}
