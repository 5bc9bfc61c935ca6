package dev.controlroom.ui.tray;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.Severity;
import dev.controlroom.ui.tray.TrayState.Attention;
import dev.controlroom.ui.tray.TrayState.Kind;
import dev.controlroom.ui.tray.TrayState.Look;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tray's state, kept from the engine's events alone (no polling): which runs this process
 * runs and in which state, and what waits for the person. Events arrive on the engine's loop
 * thread and reads come from the tray's threads, hence the lock; every step is a map update.
 */
final class TrayStateModel {
    /** A task that moves on no longer needs the person for what it asked or failed at before. */
    private static final Set<EventType> TASK_MOVES_ON = Set.of(EventType.TASK_STARTED, EventType.ANSWERED, EventType.TASK_SUCCEEDED, EventType.TASK_RETRIED,
            EventType.TASK_SKIPPED, EventType.TASK_CANCELLED, EventType.TASK_REQUEUED, EventType.TASK_REASSIGNED);

    private final Map<String, RunState> runs = new LinkedHashMap<>();
    private final Map<String, Attention> attention = new LinkedHashMap<>();

    /** Starts from the runs active now (at start-up, before the first event). */
    synchronized void seed(Collection<RunSummary> active) {
        active.forEach(r -> runs.put(r.id(), r.state()));
    }

    /** Folds a batch of events in; true when the state changed. */
    synchronized boolean accept(List<Event> events) {
        TrayState before = state();
        events.forEach(this::accept);
        return !before.equals(state());
    }

    private void accept(Event e) {
        if (e.runId().isEmpty()) {
            return;
        }
        String run = e.runId().get();
        switch (e.type()) {
            case RUN_STARTED, RUN_RESUMED -> {
                runs.put(run, RunState.RUNNING);
                attention.remove(key(run, Optional.empty()));
            }
            case RUN_PAUSED, RUN_STOPPED -> runs.put(run, RunState.PAUSED);
            case RUN_CANCELLING -> runs.put(run, RunState.STOPPING);
            case RUN_FINISHED -> {
                runs.remove(run);
                if (e.severity() == Severity.ERROR) {
                    want(new Attention(Kind.FAILED, run, Optional.empty(), e.message()));
                }
            }
            case RUN_CANCELLED, RUN_INTERRUPTED -> {
                runs.remove(run);
                attention.values().removeIf(a -> a.runId().equals(run) && a.kind() != Kind.FAILED);
            }
            case TASK_FAILED, TASK_NEEDS_DECISION -> want(new Attention(Kind.FAILED, run, e.taskId(), e.message()));
            case AGENT_STUCK -> want(new Attention(Kind.STUCK, run, e.taskId(), e.message()));
            case NEEDS_INPUT -> want(new Attention(Kind.NEEDS_INPUT, run, e.taskId(), e.message()));
            default -> {
                if (TASK_MOVES_ON.contains(e.type()) && e.taskId().isPresent()) {
                    attention.remove(key(run, e.taskId()));
                }
            }
        }
    }

    private void want(Attention a) {
        // Re-inserted so that the newest stays last.
        attention.remove(key(a.runId(), a.taskId()));
        attention.put(key(a.runId(), a.taskId()), a);
    }

    private static String key(String run, Optional<Long> task) {
        return run + "/" + task.map(String::valueOf).orElse("");
    }

    /** The person has looked (opened the window): failures are seen; open questions and stuck agents stay. */
    synchronized boolean acknowledge() {
        return attention.values().removeIf(a -> a.kind() == Kind.FAILED);
    }

    synchronized TrayState state() {
        int running = (int) runs.values().stream().filter(s -> s == RunState.RUNNING).count();
        int paused = runs.size() - running;
        List<Attention> waiting = new ArrayList<>(attention.values());
        Look look = !waiting.isEmpty() ? Look.ATTENTION : running > 0 ? Look.RUNNING : Look.IDLE;
        return new TrayState(look, running, paused, waiting);
    }
}
