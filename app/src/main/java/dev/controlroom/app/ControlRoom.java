package dev.controlroom.app;

import dev.controlroom.agent.CliDetector;
import dev.controlroom.agent.OutputPersister;
import dev.controlroom.agent.PtyAgentRuntime;
import dev.controlroom.agent.EventBatcher;
import dev.controlroom.agent.ExtractingObserver;
import dev.controlroom.agent.GitWorktreeReview;
import dev.controlroom.agent.Worktrees;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.orchestrator.port.WorktreeReview;
import dev.controlroom.store.Store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The composition root: one database, the services over it, and the threads they run on. Every
 * door (desktop, command line) starts from here and closes it when done, which ends the threads
 * in order: the orchestrator first (its sessions are ended and stored), then output, then storage.
 */
public final class ControlRoom implements AutoCloseable {
    public static final String PROFILE_CAP_PREFIX = "caps.profile.";
    private final Store store;
    private final Clock clock;
    private final ExecutorService background;
    private final ScheduledExecutorService loop;
    private final ExecutorService blocking;
    private final ExecutorService verify;
    private final ScheduledExecutorService outputWriter;
    private final OutputPersister persister;
    private final EventBatcher extracted;
    private final Orchestrator orchestrator;
    private final ExecutorService git;
    private final WorktreeReview review;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ControlRoom(Store store, Clock clock, UnaryOperator<EngineConfig> tune) {
        this.store = store;
        this.clock = clock;
        // Store reads for the panes; one thread keeps them in order and off the FX thread.
        this.background = Executors.newSingleThreadExecutor(Threads.named("cr-loader"));
        // Every orchestration decision runs on this one thread: no locks, no races between deciders.
        this.loop = Executors.newSingleThreadScheduledExecutor(Threads.named("cr-orchestrator"));
        // Killing process trees waits for them to go: never on the loop.
        this.blocking = Executors.newCachedThreadPool(Threads.named("cr-kill"));
        this.verify = Executors.newFixedThreadPool(2, Threads.named("cr-verify"));
        this.outputWriter = Executors.newSingleThreadScheduledExecutor(Threads.named("cr-output-writer"));
        this.persister = new OutputPersister(store.output()::append, outputWriter, 100);
        Path folder = store.file().toAbsolutePath().getParent();
        this.extracted = new EventBatcher(store.events()::appendAll, outputWriter, 100);
        PtyAgentRuntime runtime = new PtyAgentRuntime(persister, clock, Threads.named("cr-pty-reader"), verify, blocking,
                ExtractingObserver.factory(extracted), new Worktrees(folder.resolve("worktrees")), store.output()::end);
        Path workspace = folder.resolve("workspace");
        EngineConfig config = EngineConfig.defaults(workspace).withProfileCaps(profileCaps(store));
        this.orchestrator = new Orchestrator(new dev.controlroom.store.StoreLedger(store), clock, runtime, tune.apply(config), loop, blocking);
        // Reviews read and merge git worktrees for seconds at a time: one thread of their own, one action after another.
        this.git = Executors.newSingleThreadExecutor(Threads.named("cr-git"));
        this.review = new GitWorktreeReview(orchestrator::record);
    }

    /** Settings {@code caps.profile.<id>} = N: at most N sessions of that profile at once (e.g. a provider's rate limit). */
    static java.util.Map<String, Integer> profileCaps(Store store) {
        java.util.Map<String, Integer> caps = new java.util.HashMap<>();
        store.settings().withPrefix(PROFILE_CAP_PREFIX).forEach((profile, value) -> {
            try {
                int cap = Integer.parseInt(value.strip());
                if (cap >= 1) {
                    caps.put(profile, cap);
                }
            } catch (NumberFormatException e) {
                java.util.logging.Logger.getLogger(ControlRoom.class.getName()).warning("setting " + PROFILE_CAP_PREFIX + profile
                        + " = '" + value + "' is not a whole number; no cap for that profile");
            }
        });
        return caps;
    }

    /** Opens (and migrates) the database; seeds it when it is new. */
    public static ControlRoom open(Path databaseFile) {
        return open(databaseFile, UnaryOperator.identity());
    }

    /**
     * Opens the database and builds the engine on a thread of its own (see {@link #open(Path)}), so
     * that the window's toolkit can start meanwhile; the future holds the room or why it failed.
     */
    public static java.util.concurrent.CompletableFuture<ControlRoom> openInBackground(Path databaseFile) {
        java.util.concurrent.CompletableFuture<ControlRoom> opened = new java.util.concurrent.CompletableFuture<>();
        Threads.named("cr-open").newThread(() -> {
            try {
                opened.complete(open(databaseFile));
            } catch (RuntimeException | Error e) {
                opened.completeExceptionally(e);
            }
        }).start();
        return opened;
    }

    public static ControlRoom open(Path databaseFile, UnaryOperator<EngineConfig> tune) {
        Store store = openStore(databaseFile);
        ControlRoom room = new ControlRoom(store, Clock.systemUTC(), tune);
        StartupMarks.mark("engine built");
        return room;
    }

    /**
     * Opens the database as every door sees it (migrated, seeded on first use) without starting
     * the engine: for commands that only read.
     */
    public static Store openStore(Path databaseFile) {
        StartupMarks.mark("store opening");
        Store store = Store.open(databaseFile, Clock.systemUTC());
        StartupMarks.mark("store open");
        try {
            Path folder = store.file().getParent();
            new FirstStart(store, CliDetector.fromEnvironment()).seedIfNew(folder.resolve("samples"));
            java.nio.file.Files.createDirectories(folder.resolve("workspace"));
            StartupMarks.mark("first start checked");
        } catch (RuntimeException | java.io.IOException e) {
            store.close();
            throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((java.io.IOException) e);
        }
        return store;
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    /** Review, merge and discard of tasks' worktrees; its outcomes go to the event log through the engine. */
    public WorktreeReview review() {
        return review;
    }

    /** The executor for git work of the window (reviews, merges): slow, and cancelled by interrupting it. */
    public ExecutorService git() {
        return git;
    }

    /** The executor for store reads and other work that must stay off the FX thread. */
    public ExecutorService background() {
        return background;
    }

    /**
     * Closes this when the JVM is asked to stop (Ctrl-C, SIGTERM, logout), so running sessions are
     * ended and their runs stored as interrupted instead of being cut off mid-write.
     */
    public ControlRoom closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "cr-shutdown"));
        return this;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        orchestrator.shutdown(Duration.ofSeconds(15));
        loop.shutdown();
        await(loop);
        persister.close();
        extracted.close();
        outputWriter.shutdown();
        await(outputWriter);
        blocking.shutdown();
        verify.shutdownNow();
        git.shutdownNow();
        await(git);
        // Queued writes (the window's layout as it closed, a setting just changed) finish before the database closes.
        background.shutdown();
        await(background);
        store.close();
    }

    private static void await(ExecutorService executor) {
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
