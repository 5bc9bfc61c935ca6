package dev.controlroom.orchestrator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's knobs.
 *
 * @param tick            how often heartbeats, timeouts and due retries are checked
 * @param retryBackoff    the wait before the second attempt; doubled for each further one
 * @param maxRetryBackoff the longest wait between attempts
 * @param killGrace       how long a killed process may take to end before it is forced
 * @param profileCaps     at most this many sessions at once per profile id (absent: no cap)
 * @param defaultWorkDir  where tasks of a plan without a file run when they name no directory
 * @param noOutputLimit   the watchdog's silence for every profile, over the profiles' own defaults (tests, benchmarks);
 *                        empty: each profile's setting or default (see {@code WatchRules})
 * @param repeatedErrorLimit the same error fingerprint this many times in a session is stuck
 * @param rateLimitWait   how long a rate-limited task is parked when the agent gives no reset time
 * @param nobodyToAsk     no person can answer an agent's question (a script, CI): a question fails the attempt
 */
public record EngineConfig(Duration tick, Duration retryBackoff, Duration maxRetryBackoff, Duration killGrace,
                           Map<String, Integer> profileCaps, Path defaultWorkDir, Optional<Duration> noOutputLimit,
                           int repeatedErrorLimit, Duration rateLimitWait, boolean nobodyToAsk) {

    public EngineConfig {
        profileCaps = Map.copyOf(profileCaps);
    }

    public static EngineConfig defaults(Path defaultWorkDir) {
        return new EngineConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofSeconds(3),
                Map.of(), defaultWorkDir, Optional.empty(), 3, Duration.ofMinutes(1), false);
    }

    public EngineConfig withRetryBackoff(Duration backoff) {
        return new EngineConfig(tick, backoff, maxRetryBackoff, killGrace, profileCaps, defaultWorkDir, noOutputLimit,
                repeatedErrorLimit, rateLimitWait, nobodyToAsk);
    }

    public EngineConfig withProfileCaps(Map<String, Integer> caps) {
        return new EngineConfig(tick, retryBackoff, maxRetryBackoff, killGrace, caps, defaultWorkDir, noOutputLimit,
                repeatedErrorLimit, rateLimitWait, nobodyToAsk);
    }

    public EngineConfig withTick(Duration t) {
        return new EngineConfig(t, retryBackoff, maxRetryBackoff, killGrace, profileCaps, defaultWorkDir, noOutputLimit,
                repeatedErrorLimit, rateLimitWait, nobodyToAsk);
    }

    public EngineConfig withNoOutputLimit(Duration limit) {
        return new EngineConfig(tick, retryBackoff, maxRetryBackoff, killGrace, profileCaps, defaultWorkDir, Optional.of(limit),
                repeatedErrorLimit, rateLimitWait, nobodyToAsk);
    }

    public EngineConfig withNobodyToAsk(boolean nobody) {
        return new EngineConfig(tick, retryBackoff, maxRetryBackoff, killGrace, profileCaps, defaultWorkDir, noOutputLimit,
                repeatedErrorLimit, rateLimitWait, nobody);
    }

    public EngineConfig withRateLimitWait(Duration wait) {
        return new EngineConfig(tick, retryBackoff, maxRetryBackoff, killGrace, profileCaps, defaultWorkDir, noOutputLimit,
                repeatedErrorLimit, wait, nobodyToAsk);
    }
}
