package dev.controlroom.orchestrator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The engine's knobs.
 *
 * @param tick            how often heartbeats, timeouts and due retries are checked
 * @param retryBackoff    the wait before the second attempt; doubled for each further one
 * @param maxRetryBackoff the longest wait between attempts
 * @param killGrace       how long a killed process may take to end before it is forced
 * @param profileCaps     at most this many sessions at once per profile id (absent: no cap)
 * @param defaultWorkDir  where tasks of a plan without a file run when they name no directory
 */
public record EngineConfig(Duration tick, Duration retryBackoff, Duration maxRetryBackoff, Duration killGrace,
                           Map<String, Integer> profileCaps, Path defaultWorkDir) {

    public EngineConfig {
        profileCaps = Map.copyOf(profileCaps);
    }

    public static EngineConfig defaults(Path defaultWorkDir) {
        return new EngineConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofSeconds(3),
                Map.of(), defaultWorkDir);
    }

    public EngineConfig withRetryBackoff(Duration backoff) {
        return new EngineConfig(tick, backoff, maxRetryBackoff, killGrace, profileCaps, defaultWorkDir);
    }

    public EngineConfig withProfileCaps(Map<String, Integer> caps) {
        return new EngineConfig(tick, retryBackoff, maxRetryBackoff, killGrace, caps, defaultWorkDir);
    }

    public EngineConfig withTick(Duration t) {
        return new EngineConfig(t, retryBackoff, maxRetryBackoff, killGrace, profileCaps, defaultWorkDir);
    }
}
