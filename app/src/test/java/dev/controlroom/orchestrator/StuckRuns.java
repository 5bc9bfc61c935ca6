package dev.controlroom.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.agent.ProcessTree;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run whose agent hung must look like once the watchdog has dealt with it. */
final class StuckRuns {
    /** The watchdog looks at each tick, and ticks run late on a busy machine. */
    private static final Duration LATE = Duration.ofSeconds(2);

    private StuckRuns() {
    }

    /**
     * The run failed; one {@code agent_stuck} event, raised after {@code silence} of silence and at most
     * {@link #LATE} more; the session ended killed; neither its process nor anything it started is left.
     */
    static void assertCaughtWithin(EngineHarness h, RunSummary end, Duration silence) throws Exception {
        assertEquals(RunState.FAILED, end.state(), () -> h.store.runs().tasks(end.id()).toString());
        List<Event> stuck = AgentPlans.ofType(h, end.id(), "agent_stuck");
        assertEquals(1, stuck.size(), () -> h.types().toString());
        JsonNode payload = new ObjectMapper().readTree(stuck.getFirst().payload());
        long silentMs = payload.path("silent_ms").asLong();
        assertEquals(silence.toMillis(), payload.path("threshold_ms").asLong(), payload::toString);
        assertTrue(silentMs >= silence.toMillis() && silentMs <= silence.plus(LATE).toMillis(),
                "caught after " + silentMs + " ms of silence with a " + silence.toMillis() + " ms threshold");
        System.out.printf("WATCHDOG %s | hang | caught | silent %d ms at detection, threshold %d ms, late by %d ms%n",
                h.store.runs().sessions(end.id()).getFirst().commandLine().split(":")[0], silentMs, silence.toMillis(), silentMs - silence.toMillis());

        SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
        assertEquals("killed", session.status());
        assertTrue(session.endedAt().isPresent(), "the session ended");
        assertTrue(session.endReason().orElseThrow().startsWith("stuck"), session.endReason().orElseThrow());
        long pid = session.pid().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                || !ProcessTree.carrying("CONTROL_ROOM_SESSION_ID", session.id()::equals, 0).isEmpty()) {
            assertFalse(System.nanoTime() > deadline, () -> "still running: the agent's process " + pid + " or one it started: "
                    + ProcessTree.carrying("CONTROL_ROOM_SESSION_ID", session.id()::equals, 0));
            Thread.sleep(50);
        }
    }
}
