package dev.controlroom.api;

import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.plan.PlanResult;
import dev.controlroom.plan.PlanWriter;
import dev.controlroom.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /plans}: task lists, imported from a plan file sent as the body (YAML, or JSON when the
 * content type says so), checked by the same reader as a file and the command line: an invalid
 * plan stores nothing and every problem comes back with its line and column.
 */
final class PlanRoutes {
    private final Store store;
    private final PlanService plans;

    PlanRoutes(Store store) {
        this.store = store;
        this.plans = new PlanService(store);
    }

    void register(RoutesConfig routes) {
        routes.get("/api/plans", ctx -> Respond.json(ctx, Map.of("task_lists", store.plans().list().stream().map(Views.TaskListView::of).toList())));
        routes.post("/api/plans", this::importPlan);
        routes.post("/api/plans/validate", ctx -> {
            PlanResult result = read(ctx);
            Respond.json(ctx, new Validation(result.valid(), PlanService.problems(result)));
        });
        routes.get("/api/plans/{id}", ctx -> Respond.json(ctx, Views.TaskListView.of(plan(ctx))));
        routes.get("/api/plans/{id}/export", this::export);
    }

    record Validation(boolean valid, List<PlanService.ProblemView> problems) {
    }

    private void importPlan(Context ctx) {
        // A plan file named by its absolute path: relative paths in it resolve beside it, and the same unchanged file is the same task list.
        Respond.created(ctx, plans.importPlan(ctx.body(), format(ctx), "body", source(ctx)));
    }

    private PlanResult read(Context ctx) {
        return plans.read(ctx.body(), format(ctx), "body", source(ctx));
    }

    /** {@code ?source=/abs/path/plan.yaml}: the file the plan was read from, on this machine. */
    private static Optional<String> source(Context ctx) {
        Optional<String> source = Optional.ofNullable(ctx.queryParam("source")).filter(s -> !s.isBlank());
        if (source.isPresent() && !java.nio.file.Path.of(source.get()).isAbsolute()) {
            throw Problem.badField("source", "source must be the plan file's absolute path, not '" + source.get() + "'");
        }
        return source;
    }

    private static PlanReader.Format format(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        return type.contains("json") ? PlanReader.Format.JSON : PlanReader.Format.YAML;
    }

    private PlanSummary plan(Context ctx) {
        long id = Requests.pathId(ctx, "id");
        return store.plans().find(id).orElseThrow(() -> Problem.notFound("no task list with id " + id));
    }

    /** {@code ?format=yaml|json}: the task list as a plan file the reader accepts again. */
    private void export(Context ctx) {
        PlanSummary plan = plan(ctx);
        String wanted = Requests.query(ctx, "format").orElse("yaml");
        PlanReader.Format format = switch (wanted) {
            case "yaml" -> PlanReader.Format.YAML;
            case "json" -> PlanReader.Format.JSON;
            default -> throw Problem.badField("format", "format must be yaml or json, not '" + wanted + "'");
        };
        PlanSpec spec = store.plans().spec(plan.id()).orElseThrow(() -> Problem.notFound("no task list with id " + plan.id()));
        ctx.contentType(format == PlanReader.Format.JSON ? "application/json" : "application/yaml")
                .result(new PlanWriter().write(spec, format));
    }
}
