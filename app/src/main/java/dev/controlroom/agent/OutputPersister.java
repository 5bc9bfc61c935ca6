package dev.controlroom.agent;

import dev.controlroom.domain.OutputBatch;
import dev.controlroom.store.StoreException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores the output of every live session in batches, off the reading threads: one write per
 * interval for all sessions together, which is what keeps SQLite fast under many chatty agents.
 *
 * <p>When the database refuses writes for a while (a full disk, another program's lock) the
 * output is held in memory and stored, in order, once it takes them again. Memory stays bounded by
 * backpressure, not by dropping: new output stays with the recorders, which stop their readers when
 * {@link OutputRecorder#MAX_PENDING_BYTES} wait, so the agent waits on its terminal. (Spilling to a
 * file beside the database is no way out of a full disk, and dropping would lose output.) At most a
 * session's refused batch and its recorder's pending bytes are held: about twice that bound per session.
 */
public final class OutputPersister implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutputPersister.class.getName());
    /** How long a session's end waits for its output to be stored, as long as the engine waits to store a decision. */
    static final Duration PATIENCE = Duration.ofMinutes(10);

    private final Consumer<List<OutputBatch>> store;
    private final LongConsumer held;
    private final Set<OutputRecorder> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock writing = new ReentrantLock();
    private final ScheduledFuture<?> periodic;
    /** Batches a failed write could not store (a full disk, a locked file): retried first, kept in order. */
    private final List<OutputBatch> unsent = new ArrayList<>();

    /** @param held hears how many bytes of output wait in memory after each write that was refused, and 0 once stored */
    public OutputPersister(Consumer<List<OutputBatch>> store, LongConsumer held, ScheduledExecutorService scheduler, long intervalMillis) {
        this.store = store;
        this.held = held;
        this.periodic = scheduler.scheduleWithFixedDelay(this::flushSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    public OutputPersister(Consumer<List<OutputBatch>> store, ScheduledExecutorService scheduler, long intervalMillis) {
        this(store, bytes -> { }, scheduler, intervalMillis);
    }

    public void register(OutputRecorder recorder) {
        live.add(recorder);
    }

    /**
     * Stores what the recorder still holds, closes it and stops following it; returns when stored.
     * While the database refuses writes it waits (a session's exit counts once its output is
     * stored), for up to {@link #PATIENCE}; after that the output stays held and the exit goes on.
     */
    public void finish(OutputRecorder recorder) {
        recorder.close();
        writing.lock();
        try {
            OutputBatch last = recorder.drain();
            if (!last.isEmpty()) {
                unsent.add(last);
            }
            live.remove(recorder);
        } finally {
            writing.unlock();
        }
        long start = System.nanoTime();
        long pause = 50;
        while (true) {
            writing.lock();
            try {
                retryUnsent();
                return;
            } catch (StoreException refused) {
                if (System.nanoTime() - start > PATIENCE.toNanos()) {
                    LOG.severe("the output of session " + recorder.sessionId() + " is not stored yet (the database has refused writes for "
                            + PATIENCE.toMinutes() + " min); it stays in memory and its exit is reported now");
                    return;
                }
            } finally {
                writing.unlock();
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, 1_000);
        }
    }

    /** Stores everything waiting, from every live session; throws (keeping it all) while the database refuses writes. */
    public void flush() {
        writing.lock();
        try {
            // While stored output lags, leave new output with the recorders: they stop their readers when
            // full, so a failing disk slows the agents instead of losing their output.
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
        } catch (StoreException e) {
            if (!e.isTransient()) {
                // A write that will always be refused would block every later one: report it and go on.
                LOG.severe("agent output refused by the database and dropped: " + e.getMessage());
                return;
            }
            unsent.addAll(batches);
            held.accept(heldBytes());
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
        held.accept(0);
    }

    /** Output in memory waiting to be stored: refused batches and what the recorders hold meanwhile. */
    private long heldBytes() {
        long bytes = 0;
        for (OutputBatch b : unsent) {
            for (OutputBatch.Chunk c : b.chunks()) {
                bytes += c.data().length;
            }
        }
        for (OutputRecorder r : live) {
            bytes += r.pendingBytes();
        }
        return bytes;
    }

    private void flushSafely() {
        try {
            flush();
        } catch (StoreException e) {
            if (!e.isTransient()) {
                LOG.log(Level.SEVERE, "storing agent output failed; it will be retried with the next batch", e);
            }
            // Refused for now: the database's state says so once (WriteHealth); the output is held and tried again.
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "storing agent output failed; it will be retried with the next batch", e);
        }
    }

    /** Stores what is left; output the database still refuses is reported, not thrown, so the rest can close. */
    @Override
    public void close() {
        periodic.cancel(false);
        try {
            flush();
        } catch (StoreException e) {
            writing.lock();
            try {
                LOG.severe(dev.controlroom.store.WriteHealth.megabytes(heldBytes()) + " of agent output could not be stored before closing: " + e.getMessage());
            } finally {
                writing.unlock();
            }
        }
    }
}
