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
import dev.controlroom.ui.MainViewModel;

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
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * What a person does to a task list from the tasks pane (and later the command palette): new list,
 * import and export a plan file, create, edit and delete a task, reorder priorities. Every store
 * access runs on the background executor; a caller continues on the FX thread with
 * {@code whenCompleteAsync(..., fx)}, since a failed future completes on whichever thread failed.
 *
 * <p>Editing is refused while the list has an unfinished run: the engine keeps the task
 * definitions, waves and priorities it started with in memory, so an edit would not reach the
 * running run and the window would show a definition the run is not using. The next run picks
 * every edit up.
 */
public final class TaskListActions {
    private final MainViewModel main;

    /** What an import produced: the new list, or every problem of the file (nothing was stored). */
    public record ImportOutcome(Optional<PlanSummary> plan, List<PlanProblem> problems) {
    }

    public TaskListActions(MainViewModel main) {
        this.main = main;
    }

    private Store store() {
        return main.store();
    }

    /** Why the selected list cannot be edited now, judged from what the window shows; empty when it can. */
    public Optional<String> editRefusal() {
        if (main.selectedPlanProperty().get() == null) {
            return Optional.of("Choose or create a task list first.");
        }
        return main.lastRunProperty().get().filter(r -> !r.state().isFinished()).map(TaskListActions::refusal);
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
        PlanSummary plan = main.selectedPlanProperty().get();
        if (plan == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Choose or create a task list first."));
        }
        return CompletableFuture.supplyAsync(() -> {
            requireNoActiveRun(plan.id());
            List<TaskSpec> current = store().plans().tasksOf(plan.id()).stream().map(StoredTask::spec).toList();
            cycleWith(current, existing.map(StoredTask::key), spec).ifPresent(c -> {
                throw new IllegalArgumentException("dependency cycle: " + c);
            });
            return existing.isPresent() ? store().plans().updateTask(existing.get().id(), spec) : store().plans().addTask(plan.id(), spec);
        }, main.background()).thenComposeAsync(saved -> main.refresh().thenApply(v -> {
            selectKey(saved.key());
            return saved;
        }), main.fx());
    }

    /** Deletes a task (refused while other tasks depend on it or a run is active). */
    public CompletableFuture<Void> deleteTask(TaskRow row) {
        long planId = row.task().planId();
        return CompletableFuture.runAsync(() -> {
            requireNoActiveRun(planId);
            store().plans().deleteTask(row.task().id());
        }, main.background()).thenComposeAsync(v -> {
            if (main.tasks().selectedProperty().get() != null && main.tasks().selectedProperty().get().task().id() == row.task().id()) {
                main.tasks().selectedProperty().set(null);
            }
            return main.refresh();
        }, main.fx());
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
        return CompletableFuture.runAsync(() -> {
            requireNoActiveRun(planId);
            store().plans().setPriorities(priorities);
        }, main.background()).thenComposeAsync(v -> main.refresh(), main.fx());
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
        return CompletableFuture.supplyAsync(() -> store().plans().createPlan(trimmed), main.background())
                .thenApplyAsync(this::select, main.fx());
    }

    /**
     * Reads and validates a plan file with the same reader as the command line; a valid plan is
     * stored as a new task list and selected, an invalid one stores nothing and reports every problem.
     */
    public CompletableFuture<ImportOutcome> importPlan(Path file) {
        return CompletableFuture.supplyAsync(() -> {
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
        }, main.background()).thenApplyAsync(outcome -> {
            outcome.plan().ifPresent(this::select);
            return outcome;
        }, main.fx());
    }

    /** Writes the selected task list as a plan file, YAML or JSON by the file's name. */
    public CompletableFuture<Path> exportPlan(Path file) {
        PlanSummary plan = main.selectedPlanProperty().get();
        if (plan == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Choose a task list to export first."));
        }
        return CompletableFuture.supplyAsync(() -> {
            PlanSpec spec = store().plans().spec(plan.id())
                    .orElseThrow(() -> new IllegalStateException("task list '" + plan.name() + "' no longer exists"));
            new PlanWriter().write(spec, file);
            return file;
        }, main.background());
    }

    private PlanSummary select(PlanSummary plan) {
        main.tasks().selectedProperty().set(null);
        main.tasks().clearFilters();
        main.selectedPlanProperty().set(plan);
        return plan;
    }

    private void selectKey(String key) {
        main.tasks().rows().stream().filter(r -> r.key().equals(key)).findFirst().ifPresent(r -> main.tasks().selectedProperty().set(r));
    }

    /** The message of the cause a person should read, without the wrapping of the futures. */
    public static String message(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
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
