package dev.controlroom.agent;

import dev.controlroom.domain.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Collects events extracted on reader threads and stores them in one transaction per interval:
 * a chatty agent costs one write a tenth of a second, not one per line.
 */
public final class EventBatcher implements Consumer<Event>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventBatcher.class.getName());
    private static final int MAX_PENDING = 50_000;

    private final Consumer<List<Event>> store;
    private final ScheduledFuture<?> periodic;
    private List<Event> pending = new ArrayList<>();
    private long dropped;

    public EventBatcher(Consumer<List<Event>> store, ScheduledExecutorService scheduler, long intervalMillis) {
        this.store = store;
        this.periodic = scheduler.scheduleWithFixedDelay(this::flushSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void accept(Event event) {
        if (pending.size() >= MAX_PENDING) {
            // The database is not keeping up: the output itself is still stored in full; keep memory bounded.
            dropped++;
            return;
        }
        pending.add(event);
    }

    /** One writer at a time, so that batches are stored in the order they were taken. */
    private final Object writing = new Object();

    /** Stores what is waiting; also called when a session ends, so its events are stored before the engine decides on its end. */
    public void flush() {
        synchronized (writing) {
            flushInOrder();
        }
    }

    private void flushInOrder() {
        List<Event> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new ArrayList<>();
        }
        try {
            store.accept(batch);
        } catch (dev.controlroom.store.StoreException e) {
            if (e.isTransient()) {
                // Refused for now (a full disk, a lock): the events go back in front of newer ones, within the same bound.
                synchronized (this) {
                    List<Event> kept = new ArrayList<>(batch);
                    int room = Math.max(0, MAX_PENDING - kept.size());
                    List<Event> newer = pending.size() > room ? pending.subList(0, room) : pending;
                    dropped += pending.size() - newer.size();
                    kept.addAll(newer);
                    pending = kept;
                }
            }
            throw e;
        }
    }

    private void flushSafely() {
        try {
            flush();
            long lost;
            synchronized (this) {
                lost = dropped;
                dropped = 0;
            }
            if (lost > 0) {
                LOG.warning(lost + " extracted events were not stored because the database was behind");
            }
        } catch (dev.controlroom.store.StoreException e) {
            if (!e.isTransient()) {
                LOG.log(Level.SEVERE, "storing extracted events failed", e);
            }
            // Refused for now: the database's state says so once (WriteHealth); the events are kept and tried again.
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "storing extracted events failed", e);
        }
    }

    @Override
    public void close() {
        periodic.cancel(false);
        flushSafely();
    }
}
