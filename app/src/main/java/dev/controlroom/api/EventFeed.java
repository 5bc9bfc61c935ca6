package dev.controlroom.api;

import dev.controlroom.domain.Event;
import dev.controlroom.store.Store;

import java.util.List;
import java.util.Set;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The event log as the live doors (the SSE stream, the WebSocket) hand it to their clients: every
 * event once and in order, from any id on, without the engine ever waiting on a client.
 *
 * <p>The engine hands its events to {@link #accept} on its loop thread; that only offers them to
 * each follower's bounded queue. A follower whose queue is full has fallen behind: it is marked so
 * and its door tells the client and closes (the client comes back with its last id and reads the
 * rest from the log). The log stays the truth: an id missing from the queue (events read from
 * agents' output are stored beside the engine) is read from the store before the event after it.
 */
final class EventFeed implements Consumer<List<Event>> {
    static final int QUEUE = 1024;
    private static final int PAGE = 500;

    private final Store store;
    private final int queueSize;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();

    EventFeed(Store store, int queueSize) {
        this.store = store;
        this.queueSize = queueSize;
    }

    /** On the engine's loop thread: offer, never wait. */
    @Override
    public void accept(List<Event> events) {
        for (Follower f : followers) {
            for (Event e : events) {
                if (!f.behind && !f.offer(e)) {
                    f.behind = true;
                }
            }
        }
    }

    int queueSize() {
        return queueSize;
    }

    int followers() {
        return followers.size();
    }

    /** The id of the newest stored event (0 for an empty log): where a client that wants only what comes next starts. */
    long latest() {
        return store.events().latest(1).stream().mapToLong(Event::id).findFirst().orElse(0);
    }

    /**
     * A follower that has everything up to {@code after}; it hears the engine from now on. Listening
     * starts before the log is read, so an event stored meanwhile is queued, and dropped there as already read.
     */
    Follower follow(long after) {
        Follower f = new Follower(after);
        followers.add(f);
        return f;
    }

    /** One client's place in the log; read by one thread (the client's writer), fed by the engine. */
    final class Follower implements AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        /** Guarded by {@code lock}: the announced events not yet handed out, and whether a wait should end now. */
        private final ArrayDeque<Event> queue = new ArrayDeque<>(queueSize);
        private boolean woken;
        private volatile boolean behind;
        private volatile long rewindTo = -1;
        private long last;
        /** A queued event whose predecessors in the log are still to be read. */
        private Event held;

        private Follower(long after) {
            this.last = after;
        }

        /** Whether the client fell {@link #queueSize()} events behind: its door tells it and closes. */
        boolean behind() {
            return behind;
        }

        /** The id of the last event handed out: the client has everything up to it. */
        long last() {
            return last;
        }

        /** Ends a wait in {@link #next} now (the door has something else to send); takes no room from events. */
        void wake() {
            lock.lock();
            try {
                woken = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        /** On the engine's thread: queues the event unless the queue is full; the lock is only ever held for a moment. */
        private boolean offer(Event e) {
            lock.lock();
            try {
                if (queue.size() >= queueSize) {
                    return false;
                }
                queue.add(e);
                changed.signal();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Starts again after {@code after}: the next {@link #next} reads the log from there (a client asked to replay). */
        void rewind(long after) {
            rewindTo = after;
        }

        /**
         * The next events in id order, at most a page: what the log holds after {@link #last()} that
         * the client has not had, else what the engine announces within {@code waitMillis}; empty when nothing came.
         */
        List<Event> next(long waitMillis) throws InterruptedException {
            long rewind = rewindTo;
            if (rewind >= 0) {
                rewindTo = -1;
                last = rewind;
                held = null;
            }
            if (held == null) {
                held = queued(0);
                if (held == null) {
                    List<Event> logged = logUpTo(Long.MAX_VALUE);
                    if (!logged.isEmpty()) {
                        return logged;
                    }
                    held = queued(waitMillis);
                }
            }
            if (held == null) {
                return logUpTo(Long.MAX_VALUE);
            }
            List<Event> before = logUpTo(held.id() - 1);
            if (!before.isEmpty()) {
                return before;
            }
            Event e = held;
            held = null;
            last = e.id();
            return List.of(e);
        }

        /** The next queued event the client has not had, waiting up to {@code waitMillis}; null when none came or on a wake. */
        private Event queued(long waitMillis) throws InterruptedException {
            long nanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
            lock.lock();
            try {
                while (true) {
                    Event e = queue.poll();
                    if (e != null) {
                        if (e.id() > last) {
                            return e;
                        }
                        continue;
                    }
                    if (waitMillis == 0) {
                        // a look without waiting leaves a wake for the wait that follows it
                        return null;
                    }
                    if (woken) {
                        woken = false;
                        return null;
                    }
                    if (nanos <= 0) {
                        return null;
                    }
                    nanos = changed.awaitNanos(nanos);
                }
            } finally {
                lock.unlock();
            }
        }

        /** A page of the stored events after {@link #last()} up to {@code upTo}, advancing past them. */
        private List<Event> logUpTo(long upTo) {
            if (upTo <= last) {
                return List.of();
            }
            List<Event> page = store.events().after(last, PAGE).stream().filter(e -> e.id() <= upTo).toList();
            if (!page.isEmpty()) {
                last = page.getLast().id();
            }
            return page;
        }

        @Override
        public void close() {
            followers.remove(this);
        }
    }
}
