package dev.controlroom.api;

import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** {@code /runs}, {@code /sessions} and {@code /iterations}: what ran and runs, the run controls, a session's clean output. */
final class RunRoutes {
    private final Store store;
    private final Orchestrator engine;
    private final RunService runs;

    RunRoutes(Store store, Orchestrator engine) {
        this.store = store;
        this.engine = engine;
        this.runs = new RunService(store, engine);
    }

    void register(RoutesConfig routes) {
        routes.get("/api/runs", this::listRuns);
        routes.post("/api/runs", this::startRun);
        routes.get("/api/runs/{id}", ctx -> Respond.json(ctx, runView(run(ctx))));
        routes.get("/api/runs/{id}/waves", ctx -> Respond.json(ctx, Map.of("waves", Views.WaveView.of(store.runs().tasks(run(ctx).id())))));
        routes.post("/api/runs/{id}/pause", ctx -> runControl(ctx, engine::pause));
        routes.post("/api/runs/{id}/resume", ctx -> runControl(ctx, engine::resume));
        routes.post("/api/runs/{id}/stop", ctx -> runControl(ctx, engine::stop));
        routes.post("/api/runs/{id}/cancel", ctx -> runControl(ctx, engine::cancel));
        routes.get("/api/sessions", this::listSessions);
        routes.get("/api/sessions/{id}", ctx -> {
            SessionRecord s = session(ctx);
            Respond.json(ctx, Views.SessionView.of(s, Optional.of(iterations(s))));
        });
        routes.get("/api/sessions/{id}/iterations", ctx -> Respond.json(ctx, Map.of("iterations", iterations(session(ctx)))));
        routes.get("/api/sessions/{id}/output", this::output);
        routes.post("/api/sessions/{id}/terminate", ctx -> {
            Requests.await(engine.terminateSession(session(ctx).id()));
            Respond.json(ctx, Map.of("success", true));
        });
        routes.get("/api/iterations/{id}", ctx -> Respond.json(ctx, Views.IterationView.of(iteration(ctx))));
        routes.get("/api/iterations/{id}/log", this::iterationLog);
    }

    // ---- runs

    private void listRuns(Context ctx) {
        Respond.json(ctx, Map.of("runs", runs.list(Requests.queryLong(ctx, "task_list_id"), Requests.query(ctx, "status").map(RunService::status),
                Requests.queryInt(ctx, "limit", 50, 1, 1000))));
    }

    private void startRun(Context ctx) {
        Respond.created(ctx, runs.start(ApiJson.object(ctx.body()), "api"));
    }

    private Views.RunView runView(RunSummary r) {
        return runs.view(r);
    }

    private RunSummary run(Context ctx) {
        return runs.find(ctx.pathParam("id"));
    }

    private void runControl(Context ctx, Function<String, CompletableFuture<Void>> control) {
        RunSummary run = run(ctx);
        Requests.await(control.apply(run.id()));
        Respond.json(ctx, runView(store.runs().find(run.id()).orElseThrow()));
    }

    // ---- sessions and iterations

    private void listSessions(Context ctx) {
        Respond.json(ctx, Map.of("sessions", runs.sessions(Requests.queryLong(ctx, "agent_id"), Requests.query(ctx, "run_id"),
                Requests.query(ctx, "status"), Requests.queryInt(ctx, "limit", 100, 1, 1000))));
    }

    private SessionRecord session(Context ctx) {
        return runs.session(ctx.pathParam("id"));
    }

    private List<Views.IterationView> iterations(SessionRecord s) {
        return store.runs().iterations(s.id()).stream().map(Views.IterationView::of).toList();
    }

    /** {@code <session id>:<number>}. */
    private IterationRecord iteration(Context ctx) {
        String id = ctx.pathParam("id");
        int colon = id.lastIndexOf(':');
        if (colon <= 0) {
            throw Problem.badField("id", "an iteration id is <session id>:<number>, not '" + id + "'");
        }
        String sessionId = id.substring(0, colon);
        int number;
        try {
            number = Integer.parseInt(id.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw Problem.badField("id", "an iteration id is <session id>:<number>, not '" + id + "'");
        }
        return store.runs().iterations(sessionId).stream().filter(i -> i.number() == number).findFirst()
                .orElseThrow(() -> Problem.notFound("no iteration " + number + " of session " + sessionId));
    }

    /**
     * {@code {content}}: what the session printed, as clean text (the lines are kept per session, so an
     * iteration's log is its session's), then each verification command of the iteration with its output.
     */
    private void iterationLog(Context ctx) {
        IterationRecord it = iteration(ctx);
        StringBuilder content = new StringBuilder(String.join("\n", store.output().lines(it.sessionId(), 0, MAX_LOG_LINES)));
        for (IterationRecord.Check check : it.checks()) {
            content.append("\n$ ").append(check.command()).append("  (exit ").append(check.exitCode().map(String::valueOf).orElse("-"))
                    .append(")\n").append(check.output());
        }
        Respond.json(ctx, Map.of("content", content.toString()));
    }

    private static final int MAX_LOG_LINES = 20_000;

    /** {@code ?from=LINE&limit=N}: a page of the session's clean text lines, with where the next page starts. */
    private void output(Context ctx) {
        Respond.json(ctx, runs.output(ctx.pathParam("id"), Requests.queryLong(ctx, "from").orElse(0L), Requests.queryInt(ctx, "limit", 500, 1, 10_000)));
    }
}
