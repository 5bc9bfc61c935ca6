package dev.controlroom.app;

import dev.controlroom.agent.EventBatcher;
import dev.controlroom.agent.ExtractingObserver;
import dev.controlroom.agent.OutputPersister;
import dev.controlroom.agent.PtyAgentRuntime;
import dev.controlroom.agent.Worktrees;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.EngineLeaseStore;
import dev.controlroom.store.Store;
import dev.controlroom.store.StoreLedger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The engine over a store: output and event writers, the PTY runtime, the orchestrator and the
 * threads they run on, built the same way for the window, the command line, the benchmarks and
 * the engine's tests, and closed in one order. The store belongs to whoever opened it.
 */
public final class EngineAssembly implements AutoCloseable {
    public static final String PROFILE_CAP_PREFIX = "caps.profile.";
    /** Setting {@code agent.<name>.mcp = true}: the agent's CLI gets Control Room's MCP server. */
    public static final String MCP_SETTING_PREFIX = "agent.";
    public static final String MCP_SETTING_SUFFIX = ".mcp";
    /** Output and extracted events are written together once per interval: one transaction for all sessions. */
    private static final long WRITE_INTERVAL_MILLIS = 100;
    /** A CLI that takes longer to say its version is not waited for (its sessions run regardless). */
    private static final Duration CLI_VERSION_TIMEOUT = Duration.ofSeconds(15);

    private final ScheduledExecutorService loop;
    private final ExecutorService blocking;
    private final ExecutorService verify;
    private final ScheduledExecutorService outputWriter;
    private final OutputPersister persister;
    private final EventBatcher extracted;
    private final Orchestrator orchestrator;
    private final Store store;
    private final String lease = java.util.UUID.randomUUID().toString();

    /**
     * @param workspace where tasks without a folder of their own run
     * @param tune      changes to the engine's settings after those stored in the database
     * @param decorate  wraps the PTY runtime (a benchmark timing starts and exits); identity otherwise
     */
    public EngineAssembly(Store store, Clock clock, Path workspace, UnaryOperator<EngineConfig> tune,
                          UnaryOperator<AgentRuntime> decorate) {
        this.store = store;
        takeTheLease(store, lease);
        reapOrphans(store);
        // Every orchestration decision runs on this one thread: no locks, no races between deciders.
        ScheduledThreadPoolExecutor decisions = new ScheduledThreadPoolExecutor(1, Threads.named("cr-orchestrator"));
        // A retry or a parked task waiting at close is stored and planned again at the next start; its timer would only hold the close up.
        decisions.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.loop = decisions;
        // Killing process trees waits for them to go: never on the loop.
        this.blocking = Executors.newCachedThreadPool(Threads.named("cr-kill"));
        this.verify = Executors.newFixedThreadPool(2, Threads.named("cr-verify"));
        this.outputWriter = Executors.newSingleThreadScheduledExecutor(Threads.named("cr-output-writer"));
        this.persister = new OutputPersister(store.output()::append, store.health()::held, outputWriter, WRITE_INTERVAL_MILLIS);
        this.extracted = new EventBatcher(store.events()::appendAll, outputWriter, WRITE_INTERVAL_MILLIS);
        Path folder = store.file().toAbsolutePath().getParent();
        PtyAgentRuntime runtime = new PtyAgentRuntime(persister, clock, Threads.named("cr-pty-reader"), verify, blocking,
                storedBeforeTheEnd(ExtractingObserver.factory(extracted, new dev.controlroom.agent.CliVersions(dev.controlroom.agent.CliDetector.fromEnvironment(),
                                CLI_VERSION_TIMEOUT),
                        // The setting is what `agents` shows as the installed version, as the window's probe leaves it.
                        (session, cli, version) -> outputWriter.execute(() -> {
                            store.runs().cliVersion(session, version);
                            store.settings().put(dev.controlroom.agent.CliVersions.SETTING_PREFIX + cli, version);
                        })), extracted),
                new Worktrees(folder.resolve("worktrees")), store.output()::end,
                store.secrets()::unseal, agent -> mcpFor(store, agent));
        EngineConfig config = EngineConfig.defaults(workspace).withProfileCaps(profileCaps(store));
        this.orchestrator = new Orchestrator(new StoreLedger(store, lease), clock, decorate.apply(runtime), tune.apply(config), loop, blocking);
    }

    /**
     * What a session's output said is stored by the time its end is reported: the engine's own
     * events about that end (failed, finished) come after the agent's in the log.
     */
    private static dev.controlroom.agent.SessionObserver.Factory storedBeforeTheEnd(dev.controlroom.agent.SessionObserver.Factory inner,
                                                                                 EventBatcher events) {
        return (id, context, started, signals) -> {
            dev.controlroom.agent.SessionObserver observer = inner.create(id, context, started, signals);
            return new dev.controlroom.agent.SessionObserver() {
                @Override
                public void onLine(String line) {
                    observer.onLine(line);
                }

                @Override
                public void onOpenLine(String text) {
                    observer.onOpenLine(text);
                }

                @Override
                public void onEnd() {
                    observer.onEnd();
                    try {
                        events.flush();
                    } catch (RuntimeException e) {
                        // refused for good: the batcher said so; the periodic write tries what it kept
                    }
                }
            };
        };
    }

    /**
     * One engine per database: caps per agent, profile and run hold only if one engine decides. A
     * second process is refused, naming the one that runs; the lease of a process that died (or
     * stopped renewing it) is taken over.
     */
    private static void takeTheLease(Store store, String token) {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        java.time.Instant now = java.time.Instant.now();
        store.leases().acquire(token, pid, host, h -> java.time.Duration.between(h.renewed(), now).compareTo(EngineLeaseStore.SILENCE) < 0
                        && (!h.host().equals(host) || ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false)))
                .ifPresent(h -> {
                    throw new dev.controlroom.store.DatabaseInUseException("the database " + store.file() + " is in use by Control Room process "
                            + h.pid() + (h.host().equals(host) ? "" : " on " + h.host()) + " (since " + h.since()
                            + "): close it there, or use another --db", h.pid());
                });
    }

    /**
     * Processes of this database's finished runs that outlived the engine that started them: with the
     * lease held no other engine runs them, so every process still carrying one of these run ids is an
     * orphan. (An unfinished run's processes are ended, and recorded, when the run is taken up again.)
     */
    private static void reapOrphans(Store store) {
        java.util.Set<String> runs = store.runs().finishedIds();
        if (runs.isEmpty()) {
            return;
        }
        int ended = dev.controlroom.agent.ProcessTree.killCarrying("CONTROL_ROOM_RUN_ID", runs::contains, Duration.ofSeconds(2));
        if (ended > 0) {
            Logger.getLogger(EngineAssembly.class.getName()).warning("ended " + ended + " process(es) left behind by an earlier run of "
                    + store.file());
        }
    }

    /** This machine's name, as a lease records its holder's. */
    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /**
     * Control Room's MCP server for an agent that opted in (setting {@code agent.<name>.mcp = true})
     * while the local API serves this database (setting {@value WindowApi#ADDRESS_SETTING}, written by the
     * window and {@code serve}), with the token of the {@code api-token} file as it stands at the session's start.
     */
    static java.util.Optional<dev.controlroom.agent.McpEndpoint> mcpFor(Store store, dev.controlroom.domain.Agent agent) {
        boolean optedIn = store.settings().get(MCP_SETTING_PREFIX + agent.name() + MCP_SETTING_SUFFIX)
                .map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
        if (!optedIn) {
            return java.util.Optional.empty();
        }
        java.util.Optional<String> address = store.settings().get(WindowApi.ADDRESS_SETTING).map(String::strip).filter(a -> !a.isEmpty());
        java.util.Optional<String> token = address.flatMap(a -> dev.controlroom.api.ApiToken.current(store.file()));
        if (token.isEmpty()) {
            Logger.getLogger(EngineAssembly.class.getName()).info("agent " + agent.name()
                    + " starts without Control Room's MCP server: the local API is not running on " + store.file());
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new dev.controlroom.agent.McpEndpoint(address.get() + "/mcp", token.get()));
    }

    /** Settings {@code caps.profile.<id>} = N: at most N sessions of that profile at once (e.g. a provider's rate limit). */
    private static Map<String, Integer> profileCaps(Store store) {
        Map<String, Integer> caps = new HashMap<>();
        store.settings().withPrefix(PROFILE_CAP_PREFIX).forEach((profile, value) -> {
            try {
                int cap = Integer.parseInt(value.strip());
                if (cap >= 1) {
                    caps.put(profile, cap);
                }
            } catch (NumberFormatException e) {
                Logger.getLogger(EngineAssembly.class.getName()).warning("setting " + PROFILE_CAP_PREFIX + profile
                        + " = '" + value + "' is not a whole number; no cap for that profile");
            }
        });
        return caps;
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    /** Events read from agents' output, written once per interval; {@code flush()} writes them at once for a reader that cannot wait. */
    public EventBatcher extracted() {
        return extracted;
    }

    /**
     * Ends the sessions (stored as interrupted), then the loop, then writes what output and events
     * are left before their writer stops, then the process pools.
     */
    @Override
    public void close() {
        orchestrator.shutdown(Duration.ofSeconds(15));
        loop.shutdown();
        await(loop);
        persister.close();
        extracted.close();
        outputWriter.shutdown();
        await(outputWriter);
        blocking.shutdown();
        verify.shutdownNow();
        // What the last sessions left behind would otherwise outlive this process: their own sweep runs a moment after they end.
        reapOrphans(store);
        try {
            store.leases().release(lease);
        } catch (RuntimeException e) {
            // The next engine takes over a lease that is no longer renewed; nothing here needs it any more.
            java.util.logging.Logger.getLogger(EngineAssembly.class.getName()).fine("the engine's lease stays until it lapses: " + e.getMessage());
        }
    }

    static void await(ExecutorService executor) {
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
