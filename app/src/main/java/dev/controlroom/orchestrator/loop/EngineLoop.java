package dev.controlroom.orchestrator.loop;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.Failures;
import dev.controlroom.orchestrator.ControlException;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;
import dev.controlroom.orchestrator.state.RunModel;
import dev.controlroom.orchestrator.state.Transitions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one decision thread. Every decision runs here, so deciders never race and need no lock;
 * each is stored in one transaction with its events (commit), and only then heard of (announce).
 * Slow work (git, spawning, killing process trees) goes beside it and posts its result back.
 */
public final class EngineLoop {
    private static final Logger LOG = Logger.getLogger(EngineLoop.class.getName());
    private final ScheduledExecutorService loop;
    private final Executor blocking;
    private final RunLedger ledger;
    private final EngineState state;
    private final List<Consumer<List<Event>>> listeners = new CopyOnWriteArrayList<>();

    public EngineLoop(ScheduledExecutorService loop, Executor blocking, RunLedger ledger, EngineState state) {
        this.loop = loop;
        this.blocking = blocking;
        this.ledger = ledger;
        this.state = state;
    }

    /** Hears every stored event, in order, on the loop thread: keep it quick. */
    public void addListener(Consumer<List<Event>> listener) {
        listeners.add(listener);
    }

    /** Runs {@code work} on the loop; the future has its result or what it threw. */
    public <T> CompletableFuture<T> call(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public CompletableFuture<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    /** Posts news from another thread to the loop; false when the loop has closed (Control Room is closing). */
    public boolean post(Runnable news) {
        try {
            loop.execute(news);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }

    /** Runs {@code work} on the loop once {@code delay} has passed. */
    public void after(Duration delay, Runnable work) {
        loop.schedule(work, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code step} on the loop at a fixed delay; a failing step is logged and runs again next time. */
    public ScheduledFuture<?> every(Duration delay, String name, Runnable step) {
        long millis = delay.toMillis();
        return loop.scheduleWithFixedDelay(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "the engine step '" + name + "' failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs slow work (git, spawning, killing a process tree) beside the loop. */
    public void offLoop(Runnable work) {
        blocking.execute(work);
    }

    /**
     * Stores a decision, then announces its events. A failure that may pass (another program holds
     * the database's lock, the disk is full) is tried again, with a growing pause, for up to
     * {@link #STORE_PATIENCE}: no decision may go ahead unstored, so the loop waits, and an exit
     * already seen is stored once the database takes writes again. Any other failure, or one that
     * lasts, holds every owned run, since memory and disk may now disagree.
     */
    public boolean commit(Changes c) {
        if (c.isEmpty()) {
            return true;
        }
        List<Event> stored;
        try {
            stored = storeWaiting(c::applyTo);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not store a decision; holding the affected runs until they are resumed", e);
            for (RunModel run : state.runs()) {
                Transitions.halt(run);
                state.release(run);
                run.finished().completeExceptionally(new ControlException("run " + run.id() + " was halted: the database refused a write ("
                        + Failures.rootMessage(e) + "); resume it once the problem is fixed"));
            }
            return false;
        }
        announce(stored);
        return true;
    }

    /** How long a decision waits for a database that refuses writes for now. */
    static final Duration STORE_PATIENCE = Duration.ofMinutes(10);

    /**
     * Stores {@code work} in one transaction and returns its events, not yet announced; while the
     * database refuses writes for now (a full disk, another program's lock) it waits and tries again,
     * for up to {@link #STORE_PATIENCE}. The store says once that it refuses writes, and once when it
     * takes them again: the attempts here stay quiet.
     */
    public List<Event> storeWaiting(Consumer<RunLedger.Tx> work) {
        long start = System.nanoTime();
        long pause = 50;
        while (true) {
            try {
                return ledger.commit(work);
            } catch (RuntimeException e) {
                boolean mayPass = e instanceof RunLedger.MayPass m && m.mayPass();
                if (!mayPass || System.nanoTime() - start > STORE_PATIENCE.toNanos()) {
                    throw e;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, 2_000);
            }
        }
    }

    public void announce(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        for (Consumer<List<Event>> l : listeners) {
            try {
                l.accept(events);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an event listener failed", e);
            }
        }
    }

    /** Whether the run is finished and can be let go: its waiters hear the stored summary. */
    public void releaseIfFinished(RunModel run) {
        if (run.state().isFinished() && !state.isReopening(run.id())) {
            state.release(run);
            ledger.run(run.id()).ifPresent(run.finished()::complete);
        }
    }
}
