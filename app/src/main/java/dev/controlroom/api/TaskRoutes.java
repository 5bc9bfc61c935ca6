package dev.controlroom.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /tasks}: the tasks of the task lists with their state in each list's newest run; create,
 * edit and delete (checked by the plan reader, as a plan file is, and refused while the list has an
 * unfinished run, as in the window); and the per-task engine controls. The work is
 * {@link TaskService}'s, shared with the other doors.
 */
final class TaskRoutes {
    /** What a PATCH may ask of the engine instead of an edit: seed 003's status and assignment. */
    private static final Set<String> CONTROL = Set.of("status", "assigned_agent_id");

    private final Store store;
    private final Orchestrator engine;
    private final TaskService tasks;

    TaskRoutes(Store store, Orchestrator engine) {
        this.store = store;
        this.engine = engine;
        this.tasks = new TaskService(store, engine);
    }

    void register(RoutesConfig routes) {
        routes.get("/api/tasks", this::list);
        routes.post("/api/tasks", ctx -> Respond.created(ctx, tasks.create(ApiJson.object(ctx.body()))));
        routes.get("/api/tasks/{id}", ctx -> Respond.json(ctx, tasks.get(Requests.pathId(ctx, "id"))));
        routes.patch("/api/tasks/{id}", this::patch);
        routes.delete("/api/tasks/{id}", this::delete);
        routes.post("/api/tasks/{id}/retry", ctx -> control(ctx, engine::retryTask));
        routes.post("/api/tasks/{id}/skip", ctx -> control(ctx, engine::skipTask));
        routes.post("/api/tasks/{id}/cancel", ctx -> control(ctx, engine::cancelTask));
        routes.post("/api/tasks/{id}/reassign", ctx -> {
            String agent = Requests.requiredText(ApiJson.object(ctx.body()), "agent");
            control(ctx, (run, key) -> engine.reassignTask(run, key, agent));
        });
        routes.post("/api/tasks/{id}/answer", ctx -> {
            String text = Requests.requiredText(ApiJson.object(ctx.body()), "text");
            Respond.json(ctx, tasks.answer(Requests.pathId(ctx, "id"), text));
        });
    }

    // ---- reads

    private void list(Context ctx) {
        Respond.json(ctx, tasks.list(new TaskService.Filter(Requests.queryLong(ctx, "task_list_id"),
                Requests.query(ctx, "status").map(TaskService::status), Requests.queryLong(ctx, "priority"),
                Requests.queryLong(ctx, "wave"), Requests.query(ctx, "lane"), Requests.query(ctx, "agent"),
                Requests.queryInt(ctx, "limit", 100, 1, 1000), Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE))));
    }

    // ---- edits

    private void patch(Context ctx) {
        StoredTask task = tasks.find(Requests.pathId(ctx, "id"));
        ObjectNode body = ApiJson.object(ctx.body());
        Requests.onlyFields(body, TaskService.union(TaskService.DEFINITION, CONTROL), "a task patch");
        boolean control = CONTROL.stream().anyMatch(body::has);
        boolean edit = TaskService.DEFINITION.stream().anyMatch(body::has);
        if (control && edit) {
            throw Problem.badRequest("a patch either edits the task's definition or asks the engine for status/assigned_agent_id, not both");
        }
        if (control) {
            patchControl(ctx, task, body);
            return;
        }
        PlanSummary plan = tasks.plan(task.planId());
        tasks.requireNoUnfinishedRun(plan);
        ObjectNode entry = tasks.currentEntry(plan, task);
        TaskService.planEntry(body).fields().forEachRemaining(f -> entry.set(f.getKey(), f.getValue()));
        TaskSpec spec = tasks.checked(plan, Optional.of(task.key()), entry);
        store.plans().updateTask(task.id(), spec);
        Respond.json(ctx, tasks.get(task.id()));
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
            Respond.json(ctx, tasks.control(task, (run, key) -> engine.reassignTask(run, key, agent.name())));
            return;
        }
        String wanted = status.orElseThrow();
        TaskService.Control c = switch (wanted) {
            case "ready" -> engine::retryTask;
            case "skipped" -> engine::skipTask;
            case "cancelled" -> engine::cancelTask;
            default -> throw Problem.badField("status", "status can be set to ready (retry), skipped or cancelled; the engine sets the "
                    + "others; not '" + wanted + "'");
        };
        Respond.json(ctx, tasks.control(task, c));
    }

    private void delete(Context ctx) {
        StoredTask task = tasks.find(Requests.pathId(ctx, "id"));
        tasks.requireNoUnfinishedRun(tasks.plan(task.planId()));
        try {
            store.plans().deleteTask(task.id());
        } catch (IllegalArgumentException e) {
            throw Problem.conflict("task " + task.key() + " cannot be deleted: " + e.getMessage());
        }
        Respond.json(ctx, Map.of("success", true));
    }

    private void control(Context ctx, TaskService.Control control) {
        Respond.json(ctx, tasks.control(tasks.find(Requests.pathId(ctx, "id")), control));
    }
}
