package dev.controlroom.ui.term;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies the bytes queued by every terminal view once per pulse, within a time budget, then
 * redraws the views that changed. Runs only while there is work: a quiet window asks for no
 * pulses. Output arriving on reader threads wakes it with at most one runLater per pulse.
 */
final class TerminalPump extends AnimationTimer {
    /** Time per pulse spent parsing output; what is left waits for the next pulse (the queue is bounded). */
    static final long BUDGET_NANOS = 4_000_000;
    private static TerminalPump shared;

    private final List<TerminalView> views = new ArrayList<>();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private boolean running;
    private int next;

    /** FX thread. */
    static TerminalPump shared() {
        if (shared == null) {
            shared = new TerminalPump();
        }
        return shared;
    }

    void add(TerminalView view) {
        views.add(view);
    }

    void remove(TerminalView view) {
        views.remove(view);
    }

    /** Any thread: output was queued. */
    void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            Platform.runLater(() -> {
                wakeQueued.set(false);
                startIfIdle();
            });
        }
    }

    /** FX thread: something to draw. */
    void startIfIdle() {
        if (!running) {
            running = true;
            start();
        }
    }

    @Override
    public void handle(long now) {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        boolean pending = false;
        int n = views.size();
        // Round robin from where the last pulse stopped, so a flood in one view cannot starve the others.
        for (int i = 0; i < n; i++) {
            TerminalView v = views.get((next + i) % n);
            if (System.nanoTime() > deadline) {
                next = (next + i) % n;
                pending = true;
                break;
            }
            pending |= v.applyQueued(deadline);
        }
        boolean drew = false;
        for (TerminalView v : views) {
            drew |= v.drawIfDirty();
        }
        if (!pending && !drew) {
            running = false;
            stop();
        }
    }
}
