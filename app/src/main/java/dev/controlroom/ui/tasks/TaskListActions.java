package dev.controlroom.ui.tasks;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.plan.PlanProblem;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.plan.PlanResult;
import dev.controlroom.plan.PlanWriter;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;
import dev.controlroom.ui.common.TaskRow;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a person does to a task list from the tasks pane (and later the command palette): new list,
 * import and export a plan file, create, edit and delete a task, reorder priorities. Every store
 * access runs on the background executor; every returned future completes on the FX thread, even
 * a failed one, so a caller continues there with {@code whenComplete}.
 *
 * <p>Editing is refused while the list has an unfinished run: the engine keeps the task
 * definitions, waves and priorities it started with in memory, so an edit would not reach the
 * running run and the window would show a definition the run is not using. The next run picks
 * every edit up.
 */
public final class TaskListActions {
    /**
     * What the actions work with: the store and the two executors; the window's chosen list, its
     * newest run and its tasks; how the window reloads, runs a control (errors shown) and names the
     * active agents.
     */
    public record Services(Store store, Executor background, Executor fx, ObjectProperty<PlanSummary> selectedPlan,
                           ReadOnlyObjectProperty<Optional<RunSummary>> lastRun, TasksViewModel tasks,
                           Supplier<CompletableFuture<Void>> refresh, Consumer<CompletableFuture<?>> control,
                           Supplier<List<String>> activeAgents) {
    }

    /** What an import produced: the new list, or every problem of the file (nothing was stored). */
    public record ImportOutcome(Optional<PlanSummary> plan, List<PlanProblem> problems) {
    }

    private final Services services;
    private final ReadOnlyBooleanWrapper listChosen = new ReadOnlyBooleanWrapper();

    public TaskListActions(Services services) {
        this.services = services;
        listChosen.bind(services.selectedPlan().isNotNull());
    }

    /** Whether a task list is chosen: without one there is nothing to add a task to or export. */
    public ReadOnlyBooleanProperty listChosenProperty() {
        return listChosen.getReadOnlyProperty();
    }

    private Store store() {
        return services.store();
    }

    /** {@code future}, completing on the FX thread however it ends. */
    private <T> CompletableFuture<T> onFx(CompletableFuture<T> future) {
        return future.whenCompleteAsync((value, error) -> { }, services.fx());
    }

    /** The editor of a new task (empty {@code row}) or of {@code row}'s task, with the list's other tasks and the active agents. */
    TaskEditorViewModel editor(Optional<TaskRow> row) {
        return new TaskEditorViewModel(row.map(TaskRow::task), services.tasks().rows(), services.activeAgents().get(), this);
    }

    /** The name of the chosen task list; empty when none is chosen. */
    Optional<String> listName() {
        return Optional.ofNullable(services.selectedPlan().get()).map(PlanSummary::name);
    }

    /** Why the selected list cannot be edited now, judged from what the window shows; empty when it can. */
    public Optional<String> editRefusal() {
        if (services.selectedPlan().get() == null) {
            return Optional.of("Choose or create a task list first.");
        }
        return services.lastRun().get().filter(r -> !r.state().isFinished()).map(TaskListActions::refusal);
    }

    private static String refusal(RunSummary run) {
        return "Run " + run.id() + " of this task list is " + run.state().id()
                + "; it keeps the tasks it started with. Let it finish or cancel it, then edit.";
    }

    /** Background thread: the authoritative check, against the database. */
    private void requireNoActiveRun(long planId) {
        store().runs().unfinished().stream().filter(r -> r.planId() == planId).findFirst().ifPresent(r -> {
            throw new IllegalStateException(refusal(r));
        });
    }

    /**
     * The dependency cycle adding {@code candidate} would close, as "a → b → a", if any: the graph of
     * the list with the task's dependencies replaced. {@code originalKey} is the edited task's key
     * before the edit (empty for a new task).
     */
    public static Optional<String> cycleWith(List<TaskSpec> others, Optional<String> originalKey, TaskSpec candidate) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (TaskSpec t : others) {
            if (originalKey.map(k -> k.equals(t.key())).orElse(false)) {
                continue;
            }
            List<String> renamed = t.dependsOn().stream().map(d -> originalKey.filter(d::equals).map(k -> candidate.key()).orElse(d))
                    .toList();
            deps.put(t.key(), renamed);
        }
        deps.put(candidate.key(), candidate.dependsOn());
        List<String> known = new ArrayList<>(deps.keySet());
        deps.replaceAll((k, v) -> v.stream().filter(known::contains).toList());
        return Dag.of(deps).firstCycle().map(c -> String.join(" → ", c));
    }

    /** Creates a task or replaces {@code existing}'s definition; completes with the saved task. */
    public CompletableFuture<StoredTask> saveTask(Optional<StoredTask> existing, TaskSpec spec) {
        PlanSummary plan = services.selectedPlan().get();
        if (plan == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Choose or create a task list first."));
        }
        return onFx(CompletableFuture.supplyAsync(() -> {
            requireNoActiveRun(plan.id());
            List<TaskSpec> current = store().plans().tasksOf(plan.id()).stream().map(StoredTask::spec).toList();
            cycleWith(current, existing.map(StoredTask::key), spec).ifPresent(c -> {
                throw new IllegalArgumentException("dependency cycle: " + c);
            });
            return existing.isPresent() ? store().plans().updateTask(existing.get().id(), spec) : store().plans().addTask(plan.id(), spec);
        }, services.background()).thenComposeAsync(saved -> services.refresh().get().thenApply(v -> {
            selectKey(saved.key());
            return saved;
        }), services.fx()));
    }

    /** Deletes a task (refused while other tasks depend on it or a run is active). */
    public CompletableFuture<Void> deleteTask(TaskRow row) {
        long planId = row.task().planId();
        return onFx(CompletableFuture.runAsync(() -> {
            requireNoActiveRun(planId);
            store().plans().deleteTask(row.task().id());
        }, services.background()).thenComposeAsync(v -> {
            TaskRow selected = services.tasks().selectedProperty().get();
            if (selected != null && selected.task().id() == row.task().id()) {
                services.tasks().selectedProperty().set(null);
            }
            return services.refresh().get();
        }, services.fx()));
    }

    /**
     * Gives the cards of one board column the order a person dragged them into: the highest priority
     * first, keeping the values close to the ones they had and changing only what must change.
     */
    public CompletableFuture<Void> reorder(List<TaskRow> ordered) {
        Map<Long, Integer> priorities = priorities(ordered);
        if (priorities.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long planId = ordered.getFirst().task().planId();
        return onFx(CompletableFuture.runAsync(() -> {
            requireNoActiveRun(planId);
            store().plans().setPriorities(priorities);
        }, services.background()).thenComposeAsync(v -> services.refresh().get(), services.fx()));
    }

    /**
     * Moves {@code dragged} to {@code target} (an index in its board column before the move) and
     * stores the new priorities; a failure shows in the status bar.
     */
    public void moveCard(List<TaskRow> cards, TaskRow dragged, int target) {
        List<TaskRow> order = new ArrayList<>(cards);
        int from = order.indexOf(dragged);
        order.remove(from);
        order.add(Math.min(order.size(), target > from ? target - 1 : target), dragged);
        if (!order.equals(cards)) {
            services.control().accept(reorder(order));
        }
    }

    /** The new priority of each task whose priority changes so that {@code ordered} is strictly highest first. */
    static Map<Long, Integer> priorities(List<TaskRow> ordered) {
        List<Integer> values = ordered.stream().map(r -> r.task().spec().priority()).sorted((a, b) -> b - a).toList();
        Map<Long, Integer> changed = new LinkedHashMap<>();
        int previous = Integer.MAX_VALUE;
        for (int i = 0; i < ordered.size(); i++) {
            int p = i == 0 ? values.getFirst() : Math.min(values.get(i), previous - 1);
            TaskRow row = ordered.get(i);
            if (row.task().spec().priority() != p) {
                changed.put(row.task().id(), p);
            }
            previous = p;
        }
        return changed;
    }

    /** Makes an empty task list and selects it. */
    public CompletableFuture<PlanSummary> newTaskList(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("A task list needs a name."));
        }
        return onFx(CompletableFuture.supplyAsync(() -> store().plans().createPlan(trimmed), services.background())
                .thenApplyAsync(this::select, services.fx()));
    }

    /**
     * Reads and validates a plan file with the same reader as the command line; a valid plan is
     * stored as a new task list and selected, an invalid one stores nothing and reports every problem.
     */
    public CompletableFuture<ImportOutcome> importPlan(Path file) {
        return onFx(CompletableFuture.supplyAsync(() -> {
            java.util.Set<String> roster = store().agents().listAll().stream().map(Agent::name).collect(Collectors.toSet());
            PlanResult result = new PlanReader(roster).read(file);
            if (!result.valid()) {
                return new ImportOutcome(Optional.empty(), result.problems());
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            PlanSpec spec = result.orThrow();
            PlanSummary stored = store().plans().importPlan(spec,
                    PlanStore.Source.of(file.toAbsolutePath().toString(), PlanReader.Format.of(file).id(), text));
            return new ImportOutcome(Optional.of(stored), List.of());
        }, services.background()).thenApplyAsync(outcome -> {
            outcome.plan().ifPresent(this::select);
            return outcome;
        }, services.fx()));
    }

    /** Writes the selected task list as a plan file, YAML or JSON by the file's name. */
    public CompletableFuture<Path> exportPlan(Path file) {
        PlanSummary plan = services.selectedPlan().get();
        if (plan == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Choose a task list to export first."));
        }
        return onFx(CompletableFuture.supplyAsync(() -> {
            PlanSpec spec = store().plans().spec(plan.id())
                    .orElseThrow(() -> new IllegalStateException("task list '" + plan.name() + "' no longer exists"));
            new PlanWriter().write(spec, file);
            return file;
        }, services.background()));
    }

    private PlanSummary select(PlanSummary plan) {
        services.tasks().selectedProperty().set(null);
        services.tasks().clearFilters();
        services.selectedPlan().set(plan);
        return plan;
    }

    private void selectKey(String key) {
        services.tasks().rows().stream().filter(r -> r.key().equals(key)).findFirst().ifPresent(r -> services.tasks().selectedProperty().set(r));
    }

    /** Keys of the tasks in the selected list other than {@code except}, for the dependency checklist. */
    public static List<String> otherKeys(List<TaskRow> rows, Optional<String> except) {
        List<String> keys = new ArrayList<>();
        rows.forEach(r -> {
            if (except.map(k -> !k.equals(r.key())).orElse(true)) {
                keys.add(r.key());
            }
        });
        return keys;
    }

    /** Unused keys are useful as defaults: "task-3" when task-1 and task-2 exist. */
    public static String freshKey(List<TaskRow> rows) {
        Map<String, Boolean> taken = new HashMap<>();
        rows.forEach(r -> taken.put(r.key(), true));
        int n = rows.size() + 1;
        while (taken.containsKey("task-" + n)) {
            n++;
        }
        return "task-" + n;
    }
}
