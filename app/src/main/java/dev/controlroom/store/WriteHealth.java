package dev.controlroom.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Whether the database takes writes, as every write finds out: the one place that knows the disk
 * is full or another program holds the lock, says so once in the log (and once when it clears),
 * and tells whoever shows it. Writers keep what was refused and try again; this only reports.
 * A condition clears when a write succeeds and no refused output waits any more, so a small write
 * that squeezes through a full disk does not end it while the output still waits.
 */
public final class WriteHealth {
    private static final Logger LOG = Logger.getLogger(WriteHealth.class.getName());

    /** Why writes are refused for now, or that they are not. */
    public enum Condition {
        WRITING, DISK_FULL, LOCKED, FAILING;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What is known now: the condition, since when, the output held in memory waiting to be stored,
     * and the database's own words for the last refusal.
     */
    public record State(Condition condition, Optional<Instant> since, long heldBytes, String detail) {
        public static final State WRITING = new State(Condition.WRITING, Optional.empty(), 0, "");

        public boolean refusing() {
            return condition != Condition.WRITING;
        }
    }

    private final String file;
    private final Clock clock;
    private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
    private State state = State.WRITING;
    private long heldBytes;
    private long mostHeld;
    private boolean lastWriteTaken = true;

    public WriteHealth(java.nio.file.Path database, Clock clock) {
        this.file = database.toString();
        this.clock = clock;
    }

    /** Hears every change of state, on the thread of the write that found it: keep it quick. */
    public void addListener(Consumer<State> listener) {
        listeners.add(listener);
    }

    public synchronized State state() {
        return state;
    }

    /** A write was refused; a new condition (not each attempt) is logged once. */
    void refused(StoreException e) {
        Condition condition = e.condition();
        if (condition == Condition.WRITING) {
            return;
        }
        State next;
        synchronized (this) {
            lastWriteTaken = false;
            if (state.condition() == condition) {
                return;
            }
            if (!state.refusing()) {
                mostHeld = heldBytes;
            }
            next = new State(condition, Optional.of(state.since().orElse(clock.instant())), heldBytes, e.getMessage());
            state = next;
        }
        LOG.warning("the database " + file + " refuses writes: " + describe(condition) + " (" + rootMessage(e)
                + "); the engine's decisions and the agents' output wait in memory until it takes them");
        tell(next);
    }

    /** A write was taken. */
    void taken() {
        synchronized (this) {
            lastWriteTaken = true;
        }
        clearIfDone();
    }

    /**
     * How much refused output waits in memory now (the output writer says so after each try);
     * shown while writes are refused, and counted in the line that says they are taken again.
     */
    public void held(long bytes) {
        State next = null;
        synchronized (this) {
            heldBytes = bytes;
            mostHeld = Math.max(mostHeld, bytes);
            if (state.refusing() && state.heldBytes() != bytes) {
                next = new State(state.condition(), state.since(), bytes, state.detail());
                state = next;
            }
        }
        if (next != null) {
            tell(next);
        }
        if (bytes == 0) {
            clearIfDone();
        }
    }

    private void clearIfDone() {
        State was;
        long waited;
        synchronized (this) {
            if (!state.refusing() || !lastWriteTaken || heldBytes > 0) {
                return;
            }
            was = state;
            waited = mostHeld;
            state = State.WRITING;
            mostHeld = 0;
        }
        Duration lasted = Duration.between(was.since().orElseThrow(), clock.instant());
        LOG.warning("the database " + file + " takes writes again after " + dev.controlroom.domain.Durations.human(lasted)
                + " (" + describe(was.condition()) + "); " + megabytes(waited) + " of output had waited and is stored");
        tell(State.WRITING);
    }

    private void tell(State s) {
        for (Consumer<State> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.warning("a listener of the database's state failed: " + e);
            }
        }
    }

    static String describe(Condition c) {
        return switch (c) {
            case WRITING -> "it takes writes";
            case DISK_FULL -> "the disk is full";
            case LOCKED -> "another program holds its lock";
            case FAILING -> "it cannot be written (an I/O error)";
        };
    }

    /** Bytes as a person reads them: "0 B", "512 KB", "3.2 MB". */
    public static String megabytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return (bytes / 1024) + " KB";
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
