package dev.controlroom.agent;

import dev.controlroom.orchestrator.port.AgentRuntime.Signal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Codex reports a resumed thread's usage for the whole thread so far: what a turn used is the
 * difference from what the thread had reported before. Other CLIs report each turn. Shared by the
 * sessions of one engine (a thread continues across iterations, retries and answers); the oldest
 * threads are forgotten past a bound.
 */
final class ThreadUsage {
    private static final int THREADS_KEPT = 4096;
    private final Map<String, long[]> totals = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > THREADS_KEPT;
        }
    };

    /** Whether the profile reports cumulative usage per thread of its own. */
    static boolean cumulative(String profileId) {
        return profileId.equals("codex");
    }

    /** The usage of this turn, given the thread's totals as reported now. */
    synchronized Signal.Usage turn(String threadId, Signal.Usage reported) {
        long[] before = totals.getOrDefault(threadId, new long[4]);
        totals.put(threadId, new long[] {reported.input(), reported.output(), reported.cacheRead(), reported.cacheWrite()});
        return new Signal.Usage(Math.max(0, reported.input() - before[0]), Math.max(0, reported.output() - before[1]),
                Math.max(0, reported.cacheRead() - before[2]), Math.max(0, reported.cacheWrite() - before[3]), reported.model());
    }
}
