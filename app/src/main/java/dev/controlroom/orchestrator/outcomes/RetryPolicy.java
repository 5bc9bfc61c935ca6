package dev.controlroom.orchestrator.outcomes;

import java.time.Duration;

/**
 * How long a failed attempt waits before the next: {@code base} before the second attempt,
 * doubled for each further one, never more than {@code max}.
 */
public record RetryPolicy(Duration base, Duration max) {

    public Duration backoff(int attemptsDone) {
        long wait = base.toMillis() << Math.min(20, Math.max(0, attemptsDone - 1));
        return Duration.ofMillis(Math.min(wait, max.toMillis()));
    }
}
