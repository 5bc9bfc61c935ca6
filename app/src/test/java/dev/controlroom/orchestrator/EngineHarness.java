package dev.controlroom.orchestrator;

import dev.controlroom.agent.OutputPersister;
import dev.controlroom.agent.PtyAgentRuntime;
import dev.controlroom.agent.EventBatcher;
import dev.controlroom.agent.ExtractingObserver;
import dev.controlroom.agent.Worktrees;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A real engine for tests: a SQLite file, real PTY processes, a shell agent roster. */
final class EngineHarness implements AutoCloseable {
    final Path dir;
    final Store store;
    final Orchestrator orchestrator;
    final List<Event> events = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-loop"));
    private final ScheduledExecutorService output = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService blocking = Executors.newCachedThreadPool();
    private final OutputPersister persister;
    final EventBatcher extracted;

    EngineHarness(Path dir, int shellSlots, UnaryOperator<EngineConfig> tune) {
        this.dir = dir;
        this.store = Store.open(dir.resolve("engine.db"), Clock.systemUTC());
        store.agents().hire(new NewAgent("sh1", Optional.empty(), AgentProfile.SHELL, Optional.empty(), Optional.empty(), shellSlots));
        this.persister = new OutputPersister(store.output()::append, output, 50);
        this.extracted = new EventBatcher(store.events()::appendAll, output, 50);
        PtyAgentRuntime runtime = new PtyAgentRuntime(persister, Clock.systemUTC(), Thread.ofPlatform().name("test-reader-", 0).factory(),
                blocking, blocking, ExtractingObserver.factory(extracted),
                new Worktrees(dir.resolve("worktrees")), store.output()::end);
        EngineConfig config = tune.apply(EngineConfig.defaults(dir).withRetryBackoff(Duration.ofMillis(50)));
        this.orchestrator = new Orchestrator(new dev.controlroom.store.StoreLedger(store), Clock.systemUTC(), runtime, config, loop, blocking);
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

    RunSummary runToEnd(PlanSummary plan, int concurrency, WaveMode mode) throws Exception {
        String id = start(plan, concurrency, mode);
        return orchestrator.finished(id).get(60, TimeUnit.SECONDS);
    }

    List<String> types() {
        return events.stream().map(e -> e.type().id()).toList();
    }

    @Override
    public void close() throws Exception {
        orchestrator.shutdown(Duration.ofSeconds(10));
        loop.shutdownNow();
        persister.close();
        extracted.close();
        output.shutdownNow();
        blocking.shutdownNow();
        store.close();
    }
}
