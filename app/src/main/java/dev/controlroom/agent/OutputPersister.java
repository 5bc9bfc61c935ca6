package dev.controlroom.agent;

import dev.controlroom.domain.OutputBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores the output of every live session in batches, off the reading threads: one write per
 * interval for all sessions together, which is what keeps SQLite fast under many chatty agents.
 */
public final class OutputPersister implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutputPersister.class.getName());

    private final Consumer<List<OutputBatch>> store;
    private final Set<OutputRecorder> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock writing = new ReentrantLock();
    private final ScheduledFuture<?> periodic;
    /** Batches a failed write could not store (a full disk, a locked file): retried first, kept in order. */
    private final List<OutputBatch> unsent = new ArrayList<>();

    public OutputPersister(Consumer<List<OutputBatch>> store, ScheduledExecutorService scheduler, long intervalMillis) {
        this.store = store;
        this.periodic = scheduler.scheduleWithFixedDelay(this::flushSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    public void register(OutputRecorder recorder) {
        live.add(recorder);
    }

    /** Stores what the recorder still holds, closes it and stops following it; returns when stored. */
    public void finish(OutputRecorder recorder) {
        recorder.close();
        writing.lock();
        try {
            live.remove(recorder);
            retryUnsent();
            write(List.of(recorder.drain()));
        } finally {
            writing.unlock();
        }
    }

    /** Stores everything waiting, from every live session. */
    public void flush() {
        writing.lock();
        try {
            // While stored output lags, leave new output with the recorders: they stop their
            // readers when full, so a failing disk slows the agents instead of losing their output.
            retryUnsent();
            List<OutputBatch> batches = new ArrayList<>();
            for (OutputRecorder r : live) {
                OutputBatch b = r.drain();
                if (!b.isEmpty()) {
                    batches.add(b);
                }
            }
            write(batches);
        } finally {
            writing.unlock();
        }
    }

    private void write(List<OutputBatch> batches) {
        if (batches.isEmpty()) {
            return;
        }
        try {
            store.accept(batches);
        } catch (dev.controlroom.store.StoreException e) {
            if (!e.isTransient()) {
                // A write that will always be refused would block every later one: report it and go on.
                LOG.severe("agent output refused by the database and dropped: " + e.getMessage());
                return;
            }
            unsent.addAll(batches);
            throw e;
        }
    }

    /** Stores what an earlier write could not; throws (keeping it) if the database still refuses. */
    private void retryUnsent() {
        if (unsent.isEmpty()) {
            return;
        }
        List<OutputBatch> again = List.copyOf(unsent);
        unsent.clear();
        write(again);
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "storing agent output failed; it will be retried with the next batch", e);
        }
    }

    @Override
    public void close() {
        periodic.cancel(false);
        flush();
    }
}
