package dev.controlroom.app;

import dev.controlroom.agent.CliDetector;
import dev.controlroom.agent.GitWorktreeReview;
import dev.controlroom.orchestrator.EngineConfig;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.orchestrator.port.WorktreeReview;
import dev.controlroom.store.Store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * The composition root: one database, the services over it, and the threads they run on. Every
 * door (desktop, command line) starts from here and closes it when done, which ends the threads
 * in order: the engine first (its sessions are ended and stored, see {@link EngineAssembly}), then
 * the window's git and loader threads, then storage.
 */
public final class ControlRoom implements AutoCloseable {
    private final Store store;
    private final Clock clock;
    private final ExecutorService background;
    private final EngineAssembly engine;
    private final ExecutorService git;
    private final WorktreeReview review;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ControlRoom(Store store, Clock clock, UnaryOperator<EngineConfig> tune) {
        this.store = store;
        this.clock = clock;
        // Store reads for the panes; one thread keeps them in order and off the FX thread.
        this.background = Executors.newSingleThreadExecutor(Threads.named("cr-loader"));
        Path workspace = store.file().toAbsolutePath().getParent().resolve("workspace");
        this.engine = new EngineAssembly(store, clock, workspace, tune, UnaryOperator.identity());
        // Reviews read and merge git worktrees for seconds at a time: one thread of their own, one action after another.
        this.git = Executors.newSingleThreadExecutor(Threads.named("cr-git"));
        this.review = new GitWorktreeReview(engine.orchestrator()::record);
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
        return engine.orchestrator();
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

    private volatile java.util.Optional<dev.controlroom.api.ApiServer> api = java.util.Optional.empty();

    /** Starts the local API beside this engine (see {@link WindowApi}), with further {@code doors} on it; closed before the engine. */
    public java.util.Optional<dev.controlroom.api.ApiServer> startApi(java.util.List<dev.controlroom.api.ServletMount> doors) {
        api = WindowApi.start(this, doors);
        return api;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        api.ifPresent(a -> {
            a.close();
            store.settings().put(WindowApi.ADDRESS_SETTING, "");
        });
        engine.close();
        git.shutdownNow();
        EngineAssembly.await(git);
        // Queued writes (the window's layout as it closed, a setting just changed) finish before the database closes.
        background.shutdown();
        EngineAssembly.await(background);
        store.close();
    }
}
