package dev.controlroom.orchestrator;

import dev.controlroom.app.EngineAssembly;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A real engine for tests: a SQLite file, real PTY processes, a shell agent roster. */
final class EngineHarness implements AutoCloseable {
    final Path dir;
    final Store store;
    final Orchestrator orchestrator;
    final List<Event> events = new CopyOnWriteArrayList<>();
    private final EngineAssembly engine;

    EngineHarness(Path dir, int shellSlots, UnaryOperator<EngineConfig> tune) {
        this.dir = dir;
        this.store = Store.open(dir.resolve("engine.db"), Clock.systemUTC());
        store.agents().hire(new NewAgent("sh1", Optional.empty(), AgentProfile.SHELL, Optional.empty(), Optional.empty(), shellSlots));
        // Retries come at once, so that tests of them take milliseconds.
        this.engine = new EngineAssembly(store, Clock.systemUTC(), dir, c -> tune.apply(c.withRetryBackoff(Duration.ofMillis(50))),
                UnaryOperator.identity());
        this.orchestrator = engine.orchestrator();
        orchestrator.addListener(events::addAll);
    }

    EngineHarness(Path dir) {
        this(dir, 4, UnaryOperator.identity());
    }

    /** Imports a plan written in YAML into {@code dir/plan.yaml}; relative paths in it resolve against {@code dir}. */
    PlanSummary plan(String yaml) throws Exception {
        Path file = dir.resolve("plan-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        var spec = new PlanReader(store.agents().listAll().stream().map(a -> a.name()).collect(java.util.stream.Collectors.toSet())).read(file).orThrow();
        return store.plans().importPlan(spec, PlanStore.Source.of(file.toString(), "yaml", yaml));
    }

    String start(PlanSummary plan, int concurrency, WaveMode mode) throws Exception {
        return orchestrator.start(plan.id(), new RunOptions(concurrency, mode, "cli")).get(10, TimeUnit.SECONDS);
    }

    /** Writes the events read from output so far, for a test that reads them back at once. */
    void flushExtracted() {
        engine.extracted().flush();
    }

    RunSummary runToEnd(PlanSummary plan, int concurrency, WaveMode mode) throws Exception {
        String id = start(plan, concurrency, mode);
        try {
            return orchestrator.finished(id).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder why = new StringBuilder("run " + id + " did not finish in 60 s\nevents: " + types() + "\ntasks: "
                    + store.runs().tasks(id));
            for (var session : store.runs().sessions(id)) {
                why.append("\nsession ").append(session.id()).append(" ").append(session.status()).append(":\n");
                store.output().lines(session.id(), 0, 40).forEach(l -> why.append("  ").append(l).append('\n'));
            }
            throw new AssertionError(why.toString(), e);
        }
    }

    List<String> types() {
        return events.stream().map(e -> e.type().id()).toList();
    }

    @Override
    public void close() throws Exception {
        engine.close();
        store.close();
    }
}
