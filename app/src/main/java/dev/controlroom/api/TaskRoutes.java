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
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /tasks}: the tasks of the task lists with their state in each list's newest run; create,
 * edit and delete (checked by the plan reader, as a plan file is, and refused while the list has an
 * unfinished run, as in the window); and the per-task engine controls.
 */
final class TaskRoutes {
    /** Task fields as a plan file names them; {@code key} is a plan file's {@code id}. */
    private static final Set<String> DEFINITION = Set.of("key", "title", "description", "command", "prompt", "priority", "depends_on",
            "agent", "profile", "pinned", "critical", "category", "context", "verify", "max_attempts", "timeout", "watchdog");
    /** What a PATCH may ask of the engine instead of an edit: seed 003's status and assignment. */
    private static final Set<String> CONTROL = Set.of("status", "assigned_agent_id");

    private final Store store;
    private final Orchestrator engine;

    TaskRoutes(Store store, Orchestrator engine) {
        this.store = store;
        this.engine = engine;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/tasks", this::list);
        routes.post("/api/tasks", this::create);
        routes.get("/api/tasks/{id}", ctx -> Respond.json(ctx, view(find(Requests.pathId(ctx, "id")))));
        routes.patch("/api/tasks/{id}", this::patch);
        routes.delete("/api/tasks/{id}", this::delete);
        routes.post("/api/tasks/{id}/retry", ctx -> control(ctx, (run, key) -> engine.retryTask(run, key)));
        routes.post("/api/tasks/{id}/skip", ctx -> control(ctx, (run, key) -> engine.skipTask(run, key)));
        routes.post("/api/tasks/{id}/cancel", ctx -> control(ctx, (run, key) -> engine.cancelTask(run, key)));
        routes.post("/api/tasks/{id}/reassign", ctx -> {
            String agent = Requests.requiredText(ApiJson.object(ctx.body()), "agent");
            control(ctx, (run, key) -> engine.reassignTask(run, key, agent));
        });
        routes.post("/api/tasks/{id}/answer", ctx -> {
            String text = Requests.requiredText(ApiJson.object(ctx.body()), "text");
            control(ctx, (run, key) -> engine.answer(run, key, text));
        });
    }

    private interface Control {
        java.util.concurrent.CompletableFuture<Void> apply(String runId, String taskKey);
    }

    // ---- reads

    private void list(Context ctx) {
        Optional<Long> listId = Requests.queryLong(ctx, "task_list_id");
        Optional<String> status = Requests.query(ctx, "status").map(s -> {
            if (!s.equals(Views.TaskView.NOT_RUN) && Arrays.stream(TaskState.values()).noneMatch(t -> t.id().equals(s))) {
                throw Problem.badField("status", "status must be one of " + Arrays.stream(TaskState.values()).map(TaskState::id)
                        .collect(Collectors.joining(", ")) + ", " + Views.TaskView.NOT_RUN + "; not '" + s + "'");
            }
            return s;
        });
        Optional<Long> priority = Requests.queryLong(ctx, "priority");
        Optional<Long> wave = Requests.queryLong(ctx, "wave");
        Optional<String> lane = Requests.query(ctx, "lane");
        Optional<String> agent = Requests.query(ctx, "agent");
        int limit = Requests.queryInt(ctx, "limit", 100, 1, 1000);
        int offset = Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        listId.ifPresent(this::plan);
        Map<Long, String> agentNames = store.agents().listAll().stream().collect(Collectors.toMap(Agent::id, Agent::name));
        List<Views.TaskView> all = new ArrayList<>();
        for (PlanSummary plan : store.plans().list()) {
            if (listId.isEmpty() || listId.get() == plan.id()) {
                all.addAll(views(plan.id()));
            }
        }
        List<Views.TaskView> matching = all.stream()
                .filter(t -> status.map(t.status()::equals).orElse(true))
                .filter(t -> priority.map(p -> t.priority() == p).orElse(true))
                .filter(t -> wave.map(w -> t.wave() == w).orElse(true))
                .filter(t -> lane.map(l -> t.lane().map(l::equals).orElse(false)).orElse(true))
                .filter(t -> agent.map(a -> t.assignedAgentId().map(id -> a.equals(Long.toString(id)) || a.equals(agentNames.get(id)))
                        .orElse(false) || t.agent().map(a::equals).orElse(false)).orElse(true))
                .toList();
        Respond.json(ctx, new TaskPage(matching.stream().skip(offset).limit(limit).toList(), matching.size()));
    }

    record TaskPage(List<Views.TaskView> tasks, int total) {
    }

    private List<Views.TaskView> views(long planId) {
        return views(store, planId);
    }

    /** The tasks of a list, each with its wave and its state in the list's newest run. */
    static List<Views.TaskView> views(Store store, long planId) {
        List<StoredTask> tasks = store.plans().tasksOf(planId);
        Map<String, Integer> waves = Dag.ofTasks(tasks.stream().map(StoredTask::spec).toList()).waves();
        Map<Long, RunTask> states = store.runs().latestOf(planId).map(r -> store.runs().tasks(r.id())).orElse(List.of()).stream()
                .collect(Collectors.toMap(RunTask::taskId, Function.identity()));
        return tasks.stream().map(t -> Views.TaskView.of(t, waves.getOrDefault(t.key(), 0), Optional.ofNullable(states.get(t.id())))).toList();
    }

    private Views.TaskView view(StoredTask task) {
        return view(store, task.id()).orElseThrow(() -> Problem.notFound("no task with id " + task.id()));
    }

    /** The task as {@code GET /tasks/{id}} shows it now; empty when there is no such task. */
    static Optional<Views.TaskView> view(Store store, long taskId) {
        return store.plans().task(taskId).flatMap(t -> views(store, t.planId()).stream().filter(v -> v.id() == taskId).findFirst());
    }

    private StoredTask find(long id) {
        return store.plans().task(id).orElseThrow(() -> Problem.notFound("no task with id " + id));
    }

    private PlanSummary plan(long id) {
        return store.plans().find(id).orElseThrow(() -> Problem.notFound("no task list with id " + id));
    }

    // ---- edits

    private void create(Context ctx) {
        ObjectNode body = ApiJson.object(ctx.body());
        Requests.onlyFields(body, union(DEFINITION, Set.of("task_list_id")), "a new task");
        long planId = Requests.number(body, "task_list_id").orElseThrow(() -> Problem.badField("task_list_id", "task_list_id is required"));
        PlanSummary plan = plan(planId);
        requireNoUnfinishedRun(plan);
        body.remove("task_list_id");
        ObjectNode entry = planEntry(body);
        TaskSpec spec = checked(plan, Optional.empty(), entry);
        StoredTask saved = store.plans().addTask(planId, spec);
        Respond.created(ctx, view(saved));
    }

    private void patch(Context ctx) {
        StoredTask task = find(Requests.pathId(ctx, "id"));
        ObjectNode body = ApiJson.object(ctx.body());
        Requests.onlyFields(body, union(DEFINITION, CONTROL), "a task patch");
        boolean control = CONTROL.stream().anyMatch(body::has);
        boolean edit = DEFINITION.stream().anyMatch(body::has);
        if (control && edit) {
            throw Problem.badRequest("a patch either edits the task's definition or asks the engine for status/assigned_agent_id, not both");
        }
        if (control) {
            patchControl(ctx, task, body);
            return;
        }
        PlanSummary plan = plan(task.planId());
        requireNoUnfinishedRun(plan);
        ObjectNode entry = currentEntry(plan, task);
        planEntry(body).fields().forEachRemaining(f -> entry.set(f.getKey(), f.getValue()));
        TaskSpec spec = checked(plan, Optional.of(task.key()), entry);
        store.plans().updateTask(task.id(), spec);
        Respond.json(ctx, view(find(task.id())));
    }

    /** Seed 003's {@code status} and {@code assigned_agent_id}, carried out by the engine's controls as the window's buttons are. */
    private void patchControl(Context ctx, StoredTask task, ObjectNode body) {
        Optional<String> status = Requests.text(body, "status");
        Optional<Long> agentId = Requests.number(body, "assigned_agent_id");
        if (status.isPresent() && agentId.isPresent()) {
            throw Problem.badRequest("give status or assigned_agent_id, one control at a time");
        }
        if (agentId.isPresent()) {
            Agent agent = store.agents().find(agentId.get())
                    .orElseThrow(() -> Problem.badField("assigned_agent_id", "no agent with id " + agentId.get()));
            control(ctx, task, (run, key) -> engine.reassignTask(run, key, agent.name()));
            return;
        }
        String wanted = status.orElseThrow();
        Control c = switch (wanted) {
            case "ready" -> engine::retryTask;
            case "skipped" -> engine::skipTask;
            case "cancelled" -> engine::cancelTask;
            default -> throw Problem.badField("status", "status can be set to ready (retry), skipped or cancelled; the engine sets the "
                    + "others; not '" + wanted + "'");
        };
        control(ctx, task, c);
    }

    private void delete(Context ctx) {
        StoredTask task = find(Requests.pathId(ctx, "id"));
        requireNoUnfinishedRun(plan(task.planId()));
        try {
            store.plans().deleteTask(task.id());
        } catch (IllegalArgumentException e) {
            throw Problem.conflict("task " + task.key() + " cannot be deleted: " + e.getMessage());
        }
        Respond.json(ctx, Map.of("success", true));
    }

    /** The engine keeps the definitions a run started with: an edit while it runs would not reach it (as the window says). */
    private void requireNoUnfinishedRun(PlanSummary plan) {
        store.runs().unfinished().stream().filter(r -> r.planId() == plan.id()).findFirst().ifPresent(r -> {
            throw Problem.conflict("run " + r.id() + " of task list '" + plan.name() + "' is " + r.state().id()
                    + "; it keeps the tasks it started with. Let it finish or cancel it, then edit");
        });
    }

    /** The body as a plan file's task entry: {@code key} is the entry's {@code id}. */
    private static ObjectNode planEntry(ObjectNode body) {
        ObjectNode entry = body.deepCopy();
        if (entry.has("key")) {
            entry.set("id", entry.remove("key"));
        }
        return entry;
    }

    /** The stored task as its list's plan file writes it. */
    private ObjectNode currentEntry(PlanSummary plan, StoredTask task) {
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
    private TaskSpec checked(PlanSummary plan, Optional<String> replacing, ObjectNode entry) {
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

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    // ---- engine controls

    private void control(Context ctx, Control control) {
        control(ctx, find(Requests.pathId(ctx, "id")), control);
    }

    /** A control of the task in its list's newest run, by the engine; the task as it stands after it. */
    private void control(Context ctx, StoredTask task, Control control) {
        RunSummary run = store.runs().latestOf(task.planId())
                .orElseThrow(() -> Problem.conflict("task " + task.key() + " has not run yet: start a run of its task list first"));
        Requests.await(control.apply(run.id(), task.key()));
        Respond.json(ctx, view(task));
    }
}
