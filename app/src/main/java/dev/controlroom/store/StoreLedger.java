package dev.controlroom.store;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.orchestrator.port.RunLedger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The engine's view of the database: the repositories it reads, and the run store's transactions. */
public final class StoreLedger implements RunLedger {
    private final Store store;
    private final String lease;

    /** @param lease the engine's lease on the database, renewed with its heartbeat */
    public StoreLedger(Store store, String lease) {
        this.store = store;
        this.lease = lease;
    }

    @Override
    public void renewEngineLease() {
        store.leases().renew(lease);
    }

    @Override
    public List<Event> commit(Consumer<RunLedger.Tx> work) {
        return store.runs().commit(work::accept);
    }

    @Override
    public Event append(Event event) {
        return store.events().append(event);
    }

    @Override
    public Optional<RunSummary> run(String runId) {
        return store.runs().find(runId);
    }

    @Override
    public List<RunSummary> unfinishedRuns() {
        return store.runs().unfinished();
    }

    @Override
    public Optional<Instant> heartbeat(String runId) {
        return store.runs().heartbeat(runId);
    }

    @Override
    public List<RunTask> runTasks(String runId) {
        return store.runs().tasks(runId);
    }

    @Override
    public List<SessionRecord> sessions(String runId) {
        return store.runs().sessions(runId);
    }

    @Override
    public List<IterationRecord> iterations(String sessionId) {
        return store.runs().iterations(sessionId);
    }

    @Override
    public Optional<PlanSummary> plan(long planId) {
        return store.plans().find(planId);
    }

    @Override
    public List<StoredTask> tasksOf(long planId) {
        return store.plans().tasksOf(planId);
    }

    @Override
    public List<Agent> activeAgents() {
        return store.agents().listActive();
    }

    @Override
    public Optional<Agent> agent(long agentId) {
        return store.agents().find(agentId);
    }

    @Override
    public Map<String, String> settings(String prefix) {
        return store.settings().withPrefix(prefix);
    }
}
