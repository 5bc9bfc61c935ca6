package dev.controlroom.ui.tray;

import java.util.List;
import java.util.Optional;

/**
 * What the tray icon shows: idle, how many runs are running, or that something needs the person.
 *
 * @param attention what waits for the person, oldest first
 */
public record TrayState(Look look, int running, int paused, List<Attention> attention) {

    public TrayState {
        attention = List.copyOf(attention);
    }

    public static final TrayState IDLE = new TrayState(Look.IDLE, 0, 0, List.of());

    /** The three looks of the icon. */
    public enum Look {
        IDLE, RUNNING, ATTENTION
    }

    /** Why the person is wanted; the worst kind colours the icon's dot. */
    public enum Kind {
        /** An agent asks a question. */
        NEEDS_INPUT,
        /** An agent stopped making progress. */
        STUCK,
        /** A task or a run failed, or a failed critical task waits for a decision. */
        FAILED
    }

    /** One thing that waits for the person: a task of a run, or the run itself when the task is empty. */
    public record Attention(Kind kind, String runId, Optional<Long> taskId, String message) {
    }

    /** The worst kind of attention, if any: it decides the colour of the dot. */
    public Optional<Kind> worst() {
        return attention.stream().map(Attention::kind).max(Enum::compareTo);
    }

    /** The newest thing that waits for the person: a click on the icon opens the window on it. */
    public Optional<Attention> newest() {
        return attention.isEmpty() ? Optional.empty() : Optional.of(attention.getLast());
    }

    /** The icon's tooltip, in words. */
    public String tooltip() {
        StringBuilder text = new StringBuilder("Control Room");
        if (running == 0 && paused == 0) {
            text.append(" · idle");
        }
        if (running > 0) {
            text.append(" · ").append(running).append(running == 1 ? " run running" : " runs running");
        }
        if (paused > 0) {
            text.append(" · ").append(paused).append(" paused");
        }
        if (!attention.isEmpty()) {
            text.append(" · ").append(attention.size()).append(attention.size() == 1 ? " needs you" : " need you");
        }
        return text.toString();
    }
}
