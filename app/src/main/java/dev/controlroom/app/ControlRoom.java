package dev.controlroom.app;

import dev.controlroom.agent.CliDetector;
import dev.controlroom.store.Store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: one database, the services over it, and the threads they run on. Every
 * door (desktop, command line) starts from here and closes it when done.
 */
public final class ControlRoom implements AutoCloseable {
    private final Store store;
    private final Clock clock;
    private final ExecutorService background;

    private ControlRoom(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        // Store reads for the panes; one thread keeps them in order and off the FX thread.
        this.background = Executors.newSingleThreadExecutor(Threads.named("cr-loader"));
    }

    /** Opens (and migrates) the database; seeds it when it is new. */
    public static ControlRoom open(Path databaseFile) {
        Clock clock = Clock.systemUTC();
        Store store = Store.open(databaseFile, clock);
        try {
            Path folder = store.file().getParent();
            new FirstStart(store, CliDetector.fromEnvironment()).seedIfNew(folder.resolve("samples"));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new ControlRoom(store, clock);
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** The executor for store reads and other work that must stay off the FX thread. */
    public ExecutorService background() {
        return background;
    }

    @Override
    public void close() {
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
