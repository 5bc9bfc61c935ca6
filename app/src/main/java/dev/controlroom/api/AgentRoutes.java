package dev.controlroom.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.AgentStore;
import dev.controlroom.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code /agents}: the roster, and the edits the window's agent editor makes (fire, rehire, model, concurrency). */
final class AgentRoutes {
    private static final Set<String> PATCHABLE = Set.of("active", "model", "max_concurrent", "status");

    private final Store store;
    private final Orchestrator engine;

    AgentRoutes(Store store, Orchestrator engine) {
        this.store = store;
        this.engine = engine;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/agents", this::list);
        routes.get("/api/agents/{id}", ctx -> Respond.json(ctx, view(find(Requests.pathId(ctx, "id")))));
        routes.patch("/api/agents/{id}", this::patch);
    }

    private void list(Context ctx) {
        Map<Long, AgentStore.CurrentWork> work = currentWork();
        Respond.json(ctx, Map.of("agents", store.agents().listAll().stream()
                .map(a -> Views.AgentView.of(a, Optional.ofNullable(work.get(a.id())))).toList()));
    }

    private Views.AgentView view(Agent a) {
        return Views.AgentView.of(a, Optional.ofNullable(currentWork().get(a.id())));
    }

    private Map<Long, AgentStore.CurrentWork> currentWork() {
        return store.agents().currentWork().stream().collect(Collectors.toMap(AgentStore.CurrentWork::agentId, Function.identity(), (a, b) -> a));
    }

    private Agent find(long id) {
        return store.agents().find(id).orElseThrow(() -> Problem.notFound("no agent with id " + id));
    }

    /**
     * {@code active} fires or rehires; {@code model} and {@code max_concurrent} edit. An agent's
     * {@code status} is what the engine sees it doing, so it is refused here rather than silently ignored.
     */
    private void patch(Context ctx) {
        Agent agent = find(Requests.pathId(ctx, "id"));
        ObjectNode body = ApiJson.object(ctx.body());
        Requests.onlyFields(body, PATCHABLE, "an agent patch");
        if (body.has("status")) {
            throw Problem.badField("status", "an agent's status is set by the engine as it works; use active (false fires, true rehires)");
        }
        Optional<Boolean> active = Requests.bool(body, "active");
        Optional<String> model = Requests.text(body, "model");
        Optional<Long> max = Requests.number(body, "max_concurrent");
        if (max.isPresent() && (max.get() < 1 || max.get() > 64)) {
            throw Problem.badField("max_concurrent", "max_concurrent must be between 1 and 64, was " + max.get());
        }
        if (model.isPresent() || max.isPresent()) {
            store.agents().edit(agent.id(), new NewAgent(agent.name(), agent.team(), agent.profile(),
                    body.has("model") ? model.filter(m -> !m.isBlank()) : agent.model(), agent.commandTemplate(),
                    max.map(Long::intValue).orElse(agent.maxConcurrent())));
        }
        active.filter(a -> a != agent.active()).ifPresent(a -> {
            if (a) {
                store.agents().rehire(agent.id());
            } else {
                store.agents().fire(agent.id());
            }
        });
        engine.rosterChanged();
        Respond.json(ctx, view(find(agent.id())));
    }
}
