package dev.controlroom.ui.notify;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;
import dev.controlroom.store.Store;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hears the engine's events and notifies the person of the ones worth interrupting them for: a
 * run finished, a task failed, an agent is stuck, an agent asks a question. Events are gathered
 * for a beat and each kind becomes one notification, so a flood reads "5 tasks failed", not
 * five popups.
 */
public final class NotifyDesk implements Consumer<List<Event>> {
    public static final String MUTED_KEY = "ui.notifications.muted";
    /** How long events are gathered before they are shown: at most a few notifications a second. */
    static final long BEAT_MS = 800;
    /** Kinds of events a person is notified of, in the order their notifications appear. */
    static final List<EventType> NOTIFIED = List.of(EventType.TASK_FAILED, EventType.AGENT_STUCK, EventType.NEEDS_INPUT, EventType.RUN_FINISHED);
    private static final int MOST_PER_BEAT = 3;

    private final Executor fx;
    private final Toaster toaster;
    private final Consumer<Event> open;
    private final BooleanProperty muted = new SimpleBooleanProperty(false);
    private final Queue<Event> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** @param open brings the window forward and selects the event's task */
    public NotifyDesk(Executor fx, Toaster toaster, Consumer<Event> open) {
        this.fx = fx;
        this.toaster = toaster;
        this.open = open;
    }

    /** Reads the mute setting and keeps it stored whenever the person changes it. */
    public NotifyDesk remembered(Store store, Executor background) {
        CompletableFuture.supplyAsync(() -> store.settings().get(MUTED_KEY), background).thenAcceptAsync(saved -> {
            saved.ifPresent(v -> muted.set(Boolean.parseBoolean(v)));
            muted.addListener((obs, old, now) -> background.execute(() -> store.settings().put(MUTED_KEY, now.toString())));
        }, fx);
        return this;
    }

    /** True when the person turned notifications off. */
    public BooleanProperty mutedProperty() {
        return muted;
    }

    /** Engine thread: keeps what is worth a notification and schedules one drain per beat. */
    @Override
    public void accept(List<Event> events) {
        for (Event e : events) {
            if (NOTIFIED.contains(e.type())) {
                pending.add(e);
            }
        }
        if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(BEAT_MS, TimeUnit.MILLISECONDS, fx).execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        List<Event> batch = new ArrayList<>();
        for (Event e; (e = pending.poll()) != null; ) {
            batch.add(e);
        }
        if (batch.isEmpty() || muted.get()) {
            return;
        }
        Map<EventType, List<Event>> byType = new LinkedHashMap<>();
        NOTIFIED.forEach(t -> byType.put(t, new ArrayList<>()));
        batch.forEach(e -> byType.get(e.type()).add(e));
        byType.values().stream().filter(l -> !l.isEmpty()).limit(MOST_PER_BEAT).map(NotifyDesk::toast)
                .forEach(t -> toaster.show(t, () -> t.about().ifPresent(open)));
    }

    /** One notification for the events of one kind: the event itself, or a summary naming the first few. */
    public static Toast toast(List<Event> events) {
        Event first = events.getFirst();
        Severity severity = events.stream().map(Event::severity).max(Enum::compareTo).orElse(first.severity());
        Optional<Event> about = events.stream().filter(e -> e.taskId().isPresent()).findFirst();
        if (events.size() == 1) {
            return new Toast(title(first), first.message(), severity, about);
        }
        String summary = switch (first.type()) {
            case TASK_FAILED -> events.size() + " tasks failed";
            case AGENT_STUCK -> events.size() + " agents are stuck";
            case NEEDS_INPUT -> events.size() + " agents ask for input";
            default -> events.size() + " runs finished";
        };
        List<String> lines = events.stream().limit(3).map(Event::message).toList();
        String more = events.size() > 3 ? "\n… and " + (events.size() - 3) + " more" : "";
        return new Toast(summary, String.join("\n", lines) + more, severity, about);
    }

    private static String title(Event e) {
        return switch (e.type()) {
            case TASK_FAILED -> "Task failed";
            case AGENT_STUCK -> "Agent stuck";
            case NEEDS_INPUT -> "An agent asks for input";
            default -> e.severity().compareTo(Severity.WARNING) >= 0 ? "Run finished with failures" : "Run finished";
        };
    }
}
