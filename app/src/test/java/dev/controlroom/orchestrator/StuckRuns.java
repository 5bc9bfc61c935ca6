package dev.controlroom.orchestrator;

import dev.controlroom.agent.ProcessTree;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run whose agent hung must look like once the watchdog has dealt with it. */
final class StuckRuns {
    /** Start-up output, the watchdog's tick and ending the process tree all come on top of the silence itself. */
    private static final Duration SLACK = Duration.ofSeconds(8);

    private StuckRuns() {
    }

    /**
     * The run failed; one {@code agent_stuck} event came after {@code silence} and within a few seconds
     * more of the session's start; the session ended killed; no process of it is left.
     */
    static void assertCaughtWithin(EngineHarness h, RunSummary end, Duration silence) throws InterruptedException {
        assertEquals(RunState.FAILED, end.state(), () -> h.store.runs().tasks(end.id()).toString());
        SessionRecord session = h.store.runs().sessions(end.id()).getFirst();
        List<Event> stuck = AgentPlans.ofType(h, end.id(), "agent_stuck");
        assertEquals(1, stuck.size(), () -> h.types().toString());
        Duration after = Duration.between(session.startedAt(), stuck.getFirst().at());
        assertTrue(after.compareTo(silence) >= 0 && after.compareTo(silence.plus(SLACK)) < 0,
                "stuck " + after + " after the session started, with a silence of " + silence);
        String reason = h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow();
        assertTrue(reason.startsWith("stuck"), reason);
        assertEquals("killed", session.status());
        assertTrue(session.endedAt().isPresent(), "the session ended");
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!ProcessTree.carrying("CONTROL_ROOM_SESSION_ID", session.id()::equals, 0).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, () -> "processes of the session still running: "
                    + ProcessTree.carrying("CONTROL_ROOM_SESSION_ID", session.id()::equals, 0));
            Thread.sleep(50);
        }
    }
}
