package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.plan.PlanProblem;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.plan.PlanResult;
import dev.controlroom.plan.PlanWriter;
import dev.controlroom.store.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What every door does with tasks, whatever carries the request (the REST routes, the MCP tools):
 * list with filters, read, create (checked by the plan reader with the rest of the list) and the
 * per-task engine controls. Refusals are {@link Problem}s naming what is wrong.
 */
public final class TaskService {
    /** Task fields as a plan file names them; {@code key} is a plan file's {@code id}. */
    public static final Set<String> DEFINITION = Set.of("key", "title", "description", "command", "prompt", "priority", "depends_on",
            "agent", "profile", "pinned", "critical", "category", "context", "verify", "max_attempts", "timeout", "watchdog");

    /** How a new task names the list it joins, or the task it is a sub-task of (by id, or by run and key as its agent knows it). */
    private static final Set<String> SUB_TASK = Set.of("task_list_id", "parent_task_id", "run_id", "parent_task_key");

    private final Store store;
    private final Orchestrator engine;

    public TaskService(Store store, Orchestrator engine) {
        this.store = store;
        this.engine = engine;
    }

    /** Which tasks a listing shows; {@code status} is a task state's id or "not_run". */
    public record Filter(Optional<Long> taskListId, Optional<String> status, Optional<Long> priority, Optional<Long> wave,
                         Optional<String> lane, Optional<String> agent, int limit, int offset) {
    }

    /** A control of one task in a run, by the engine. */
    public interface Control {
        CompletableFuture<Void> apply(String runId, String taskKey);
    }

    public record TaskPage(List<Views.TaskView> tasks, int total) {
    }

    /** A task state's id, or "not_run"; a 400 naming the choices otherwise. */
    public static String status(String s) {
        if (!s.equals(Views.TaskView.NOT_RUN) && Arrays.stream(TaskState.values()).noneMatch(t -> t.id().equals(s))) {
            throw Problem.badField("status", "status must be one of " + Arrays.stream(TaskState.values()).map(TaskState::id)
                    .collect(Collectors.joining(", ")) + ", " + Views.TaskView.NOT_RUN + "; not '" + s + "'");
        }
        return s;
    }

    public TaskPage list(Filter f) {
        f.status().ifPresent(TaskService::status);
        f.taskListId().ifPresent(this::plan);
        Map<Long, String> agentNames = store.agents().listAll().stream().collect(Collectors.toMap(Agent::id, Agent::name));
        List<Views.TaskView> all = new ArrayList<>();
        for (PlanSummary plan : store.plans().list()) {
            if (f.taskListId().isEmpty() || f.taskListId().get() == plan.id()) {
                all.addAll(views(plan.id()));
            }
        }
        List<Views.TaskView> matching = all.stream()
                .filter(t -> f.status().map(t.status()::equals).orElse(true))
                .filter(t -> f.priority().map(p -> t.priority() == p).orElse(true))
                .filter(t -> f.wave().map(w -> t.wave() == w).orElse(true))
                .filter(t -> f.lane().map(l -> t.lane().map(l::equals).orElse(false)).orElse(true))
                .filter(t -> f.agent().map(a -> t.assignedAgentId().map(id -> a.equals(Long.toString(id)) || a.equals(agentNames.get(id)))
                        .orElse(false) || t.agent().map(a::equals).orElse(false)).orElse(true))
                .toList();
        return new TaskPage(matching.stream().skip(f.offset()).limit(f.limit()).toList(), matching.size());
    }

    /** The task as {@code GET /tasks/{id}} shows it now; empty when there is no such task. */
    public Optional<Views.TaskView> find(Long id) {
        return store.plans().task(id).map(this::view);
    }

    /** The task with its state in its list's newest run; a 404 when there is none. */
    public Views.TaskView get(long id) {
        return view(find(id));
    }

    /** A task list's definitions with their waves and parents, as built for one version of the list. */
    private record Definitions(String version, List<StoredTask> tasks, Map<String, Integer> waves, Map<Long, Long> parents) {
    }

    /**
     * The lists' definitions as last built: reading and ordering thousands of tasks into waves on every
     * request of a polling dashboard would take the engine's CPU; a cheap version check rebuilds them
     * only when the list changed. The tasks' states are read fresh every time.
     */
    private final Map<Long, Definitions> definitions = new java.util.concurrent.ConcurrentHashMap<>();

    private Definitions definitions(long planId) {
        String version = store.plans().version(planId);
        Definitions known = definitions.get(planId);
        if (known != null && known.version().equals(version)) {
            return known;
        }
        List<StoredTask> tasks = store.plans().tasksOf(planId);
        Definitions built = new Definitions(version, tasks, Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves(),
                store.plans().parents(planId));
        definitions.put(planId, built);
        return built;
    }

    /** The tasks of a list, each with its wave and its state in the list's newest run. */
    private List<Views.TaskView> views(long planId) {
        Definitions d = definitions(planId);
        Map<Long, RunTask> states = store.runs().latestOf(planId).map(r -> store.runs().tasks(r.id())).orElse(List.of()).stream()
                .collect(Collectors.toMap(RunTask::taskId, Function.identity()));
        return d.tasks().stream().map(t -> Views.TaskView.of(t, d.waves().getOrDefault(t.key(), 0), Optional.ofNullable(states.get(t.id())),
                Optional.ofNullable(d.parents().get(t.id())))).toList();
    }

    Views.TaskView view(StoredTask task) {
        return views(task.planId()).stream().filter(v -> v.id() == task.id()).findFirst()
                .orElseThrow(() -> Problem.notFound("no task with id " + task.id()));
    }

    StoredTask find(long id) {
        return store.plans().task(id).orElseThrow(() -> Problem.notFound("no task with id " + id));
    }

    PlanSummary plan(long id) {
        return store.plans().find(id).orElseThrow(() -> Problem.notFound("no task list with id " + id));
    }

    /**
     * A new task in a task list: {@code task_list_id} and the task's fields as the API names them,
     * checked with the rest of the list; nothing is stored when a check fails.
     */
    public Views.TaskView create(ObjectNode body) {
        Requests.onlyFields(body, union(DEFINITION, SUB_TASK), "a new task");
        Optional<Long> parentId = Requests.number(body, "parent_task_id").or(() -> parentInRun(body));
        if (parentId.isPresent()) {
            return createSubTask(parentId.get(), body);
        }
        long planId = Requests.number(body, "task_list_id").orElseThrow(() -> Problem.badField("task_list_id", "task_list_id is required"));
        PlanSummary plan = plan(planId);
        requireNoUnfinishedRun(plan);
        ObjectNode fields = body.deepCopy();
        fields.remove("task_list_id");
        TaskSpec spec = checked(plan, Optional.empty(), planEntry(fields));
        return view(store.plans().addTask(planId, spec));
    }

    /**
     * A sub-task of a task at work in a live run (its agent asking for more work): checked by the plan
     * reader with the rest of the list, then added to that run by the engine, which schedules it.
     */
    /**
     * The parent named by {@code run_id} and {@code parent_task_key}: what a task's agent finds in its
     * environment ({@code CONTROL_ROOM_RUN_ID}, {@code CONTROL_ROOM_TASK_ID}).
     */
    private Optional<Long> parentInRun(ObjectNode body) {
        Optional<String> key = Requests.text(body, "parent_task_key");
        Optional<String> runId = Requests.text(body, "run_id");
        if (key.isEmpty() && runId.isEmpty()) {
            return Optional.empty();
        }
        String k = key.orElseThrow(() -> Problem.badField("parent_task_key", "run_id names a parent task only with parent_task_key"));
        String r = runId.orElseThrow(() -> Problem.badField("run_id", "parent_task_key needs the run_id it is a task of"));
        RunSummary run = store.runs().find(r).orElseThrow(() -> Problem.badField("run_id", "no run with id " + r));
        return Optional.of(store.plans().tasksOf(run.planId()).stream().filter(t -> t.key().equals(k)).findFirst()
                .orElseThrow(() -> Problem.badField("parent_task_key", "run " + r + " has no task '" + k + "'")).id());
    }

    private Views.TaskView createSubTask(long parentId, ObjectNode body) {
        StoredTask parent = store.plans().task(parentId)
                .orElseThrow(() -> Problem.badField("parent_task_id", "no task with id " + parentId));
        Optional<Long> listId = Requests.number(body, "task_list_id");
        if (listId.isPresent() && listId.get() != parent.planId()) {
            throw Problem.badField("task_list_id", "a sub-task joins its parent's task list " + parent.planId() + ", not " + listId.get());
        }
        PlanSummary plan = plan(parent.planId());
        RunSummary run = store.runs().unfinished().stream().filter(r -> r.planId() == plan.id()).findFirst()
                .orElseThrow(() -> Problem.conflict("task " + parent.key() + " is not in a live run; a sub-task joins its parent's run "
                        + "(without parent_task_id, a task is added to the list for its next run)"));
        ObjectNode fields = body.deepCopy();
        SUB_TASK.forEach(fields::remove);
        TaskSpec spec = checked(plan, Optional.empty(), planEntry(fields));
        return get(Requests.await(engine.addSubTask(run.id(), parent.key(), spec)));
    }

    /** A control of the task in its list's newest run, by the engine; the task as it stands after it. */
    public Views.TaskView control(StoredTask task, Control control) {
        RunSummary run = store.runs().latestOf(task.planId())
                .orElseThrow(() -> Problem.conflict("task " + task.key() + " has not run yet: start a run of its task list first"));
        Requests.await(control.apply(run.id(), task.key()));
        return view(task);
    }

    /** Gives a waiting agent its answer, as the window's answer box does. */
    public Views.TaskView answer(long taskId, String text) {
        return control(find(taskId), (run, key) -> engine.answer(run, key, text));
    }

    /** The engine keeps the definitions a run started with: an edit while it runs would not reach it (as the window says). */
    void requireNoUnfinishedRun(PlanSummary plan) {
        store.runs().unfinished().stream().filter(r -> r.planId() == plan.id()).findFirst().ifPresent(r -> {
            throw Problem.conflict("run " + r.id() + " of task list '" + plan.name() + "' is " + r.state().id()
                    + "; it keeps the tasks it started with. Let it finish or cancel it, then edit");
        });
    }

    /** The body as a plan file's task entry: {@code key} is the entry's {@code id}. */
    static ObjectNode planEntry(ObjectNode body) {
        ObjectNode entry = body.deepCopy();
        if (entry.has("key")) {
            entry.set("id", entry.remove("key"));
        }
        return entry;
    }

    /** The stored task as its list's plan file writes it. */
    ObjectNode currentEntry(PlanSummary plan, StoredTask task) {
        ObjectNode written = planTree(plan);
        for (JsonNode t : written.withArray("tasks")) {
            if (task.key().equals(t.path("id").asText())) {
                return (ObjectNode) t.deepCopy();
            }
        }
        throw Problem.notFound("no task with id " + task.id());
    }

    private ObjectNode planTree(PlanSummary plan) {
        PlanSpec spec = store.plans().spec(plan.id()).orElseThrow(() -> Problem.notFound("no task list with id " + plan.id()));
        try {
            return (ObjectNode) ApiJson.MAPPER.readTree(new PlanWriter().write(spec, PlanReader.Format.JSON));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the plan writer wrote JSON its reader cannot read: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The task as the list would hold it, checked by the plan reader with the rest of the list (ids,
     * types, dependencies, cycles, agents): one set of rules for files, the window and the API.
     * {@code replacing} is the key of the task being edited.
     */
    TaskSpec checked(PlanSummary plan, Optional<String> replacing, ObjectNode entry) {
        ObjectNode tree = planTree(plan);
        ArrayNode tasks = tree.withArray("tasks");
        int index = tasks.size();
        for (int i = 0; i < tasks.size(); i++) {
            if (replacing.isPresent() && replacing.get().equals(tasks.get(i).path("id").asText())) {
                index = i;
            }
        }
        if (index == tasks.size()) {
            tasks.add(entry);
        } else {
            tasks.set(index, entry);
            // a renamed task keeps its dependents
            String newKey = entry.path("id").asText();
            if (!newKey.equals(replacing.orElseThrow())) {
                for (JsonNode t : tasks) {
                    if (t.get("depends_on") instanceof ArrayNode deps) {
                        for (int d = 0; d < deps.size(); d++) {
                            if (deps.get(d).asText().equals(replacing.get())) {
                                deps.set(d, newKey);
                            }
                        }
                    }
                }
            }
        }
        Set<String> roster = store.agents().listAll().stream().map(Agent::name).collect(Collectors.toSet());
        PlanResult result = new PlanReader(roster).parse(ApiJson.write(tree), PlanReader.Format.JSON, "task");
        if (!result.valid()) {
            String prefix = "tasks[" + index + "]";
            List<ApiProblemEntry> problems = result.problems().stream().map(p -> ApiProblemEntry.of(p, prefix)).toList();
            Optional<String> field = problems.stream().map(ApiProblemEntry::field).flatMap(Optional::stream).findFirst();
            throw Problem.invalidPlan(problems.stream().map(ApiProblemEntry::message).collect(Collectors.joining("; ")), field, problems);
        }
        String key = entry.path("id").asText();
        return result.orThrow().tasks().stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow();
    }

    /** One problem of a task: the field of the request it is about (a plan file's {@code id} is the API's {@code key}). */
    record ApiProblemEntry(Optional<String> field, String message) {
        static ApiProblemEntry of(PlanProblem p, String prefix) {
            Optional<String> field = Optional.empty();
            if (p.path().startsWith(prefix + ".")) {
                String rest = p.path().substring(prefix.length() + 1);
                field = Optional.of(rest.equals("id") || rest.startsWith("id.") ? "key" + rest.substring(2) : rest);
            }
            String where = field.map(f -> f + ": ").orElse(p.path().isEmpty() || p.path().equals(prefix) ? "" : p.path() + ": ");
            return new ApiProblemEntry(field, where + p.message());
        }
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
