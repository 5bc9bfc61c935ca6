package dev.controlroom.domain;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the watchdog does for a task list or a task: how long an agent may make no progress
 * before it counts as stuck, and what happens on each condition. Unset values fall back to the
 * next level out (task, task list, agent, profile, the engine's default).
 *
 * @param silence         no progress this long is a hang; {@link #OFF} turns the check off
 * @param onStuck         the policy when an agent makes no progress
 * @param onRepeatedError the policy when an agent hits the same error again and again
 */
public record Watchdog(Optional<Duration> silence, Optional<Policy> onStuck, Optional<Policy> onRepeatedError) {
    /** A silence of zero: the check is off. */
    public static final Duration OFF = Duration.ZERO;
    public static final Watchdog NONE = new Watchdog(Optional.empty(), Optional.empty(), Optional.empty());

    public Watchdog {
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(onStuck, "onStuck");
        Objects.requireNonNull(onRepeatedError, "onRepeatedError");
    }

    public static Watchdog silence(Duration d) {
        return new Watchdog(Optional.of(d), Optional.empty(), Optional.empty());
    }

    /** This one's values where set, else {@code outer}'s. */
    public Watchdog over(Watchdog outer) {
        return new Watchdog(silence.or(outer::silence), onStuck.or(outer::onStuck), onRepeatedError.or(outer::onRepeatedError));
    }

    public boolean isEmpty() {
        return silence.isEmpty() && onStuck.isEmpty() && onRepeatedError.isEmpty();
    }

    /** What happens to a session the watchdog caught. */
    public enum Policy {
        /** End the session and start the task again on the same agent, continuing its own session when it has one. */
        RESTART("restart", "restart with context"),
        /** End the session and give the task to another agent. */
        HANDOFF("handoff", "hand to another agent"),
        /** End the session and wait for a person to retry, skip or cancel the task. */
        ASK("ask", "ask a person"),
        /** Type a nudge into the agent's terminal and keep watching; a session that cannot read one is restarted. */
        NUDGE("nudge", "nudge the agent");

        private final String id;
        private final String label;

        Policy(String id, String label) {
            this.id = id;
            this.label = label;
        }

        public String id() {
            return id;
        }

        public String label() {
            return label;
        }

        public static Optional<Policy> fromId(String id) {
            String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
        }

        public static String allIds() {
            return String.join(", ", Arrays.stream(values()).map(Policy::id).toList());
        }
    }
}
