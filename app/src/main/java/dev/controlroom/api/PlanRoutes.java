package dev.controlroom.api;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.plan.PlanProblem;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.plan.PlanResult;
import dev.controlroom.plan.PlanWriter;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /plans}: task lists, imported from a plan file sent as the body (YAML, or JSON when the
 * content type says so), checked by the same reader as a file and the command line: an invalid
 * plan stores nothing and every problem comes back with its line and column.
 */
final class PlanRoutes {
    private final Store store;

    PlanRoutes(Store store) {
        this.store = store;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/plans", ctx -> Respond.json(ctx, Map.of("task_lists", store.plans().list().stream().map(Views.TaskListView::of).toList())));
        routes.post("/api/plans", this::importPlan);
        routes.post("/api/plans/validate", ctx -> {
            PlanResult result = read(ctx);
            Respond.json(ctx, new Validation(result.valid(), result.problems().stream().map(ProblemView::of).toList()));
        });
        routes.get("/api/plans/{id}", ctx -> Respond.json(ctx, Views.TaskListView.of(plan(ctx))));
        routes.get("/api/plans/{id}/export", this::export);
    }

    record Validation(boolean valid, List<ProblemView> problems) {
    }

    /** One problem of a plan: where (line, column, the key's path) and what. */
    record ProblemView(Optional<Integer> line, Optional<Integer> column, String path, String message) {
        static ProblemView of(PlanProblem p) {
            return new ProblemView(p.line(), p.column(), p.path(), p.message());
        }
    }

    private void importPlan(Context ctx) {
        PlanResult result = read(ctx);
        if (!result.valid()) {
            List<ProblemView> problems = result.problems().stream().map(ProblemView::of).toList();
            throw Problem.invalidPlan(result.problems().size() + " problem(s); nothing was stored: "
                    + result.problems().stream().map(PlanProblem::toString).collect(Collectors.joining("; ")),
                    Optional.of("body"), problems);
        }
        PlanSpec spec = result.orThrow();
        // A plan file named by its absolute path: relative paths in it resolve beside it, and the same unchanged file is the same task list.
        Optional<String> source = source(ctx);
        PlanSummary stored = source.flatMap(path -> store.plans().findImported(path, ctx.body(), spec))
                .orElseGet(() -> store.plans().importPlan(spec, new PlanStore.Source(source, format(ctx).id(), Optional.of(ctx.body()))));
        Respond.created(ctx, Views.TaskListView.of(stored));
    }

    private PlanResult read(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw Problem.badField("body", "the request needs a plan (YAML, or JSON with Content-Type application/json) as its body");
        }
        Set<String> roster = store.agents().listAll().stream().map(Agent::name).collect(Collectors.toSet());
        return new PlanReader(roster).parse(body, format(ctx), source(ctx).orElse("body"));
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
