package dev.controlroom.orchestrator.state;

import org.junit.jupiter.api.Test;

import static dev.controlroom.orchestrator.state.SessionPhase.AWAITING_ANSWER;
import static dev.controlroom.orchestrator.state.SessionPhase.ENDED;
import static dev.controlroom.orchestrator.state.SessionPhase.RUNNING;
import static dev.controlroom.orchestrator.state.SessionPhase.STARTING;
import static dev.controlroom.orchestrator.state.SessionPhase.VERIFYING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionPhaseTest {

    @Test
    void aSessionGoesRoundFromStartingThroughVerifyingToTheNextIteration() {
        SessionPhase p = STARTING.moveTo(RUNNING).moveTo(VERIFYING).moveTo(STARTING).moveTo(RUNNING).moveTo(ENDED);
        assertEquals(ENDED, p);
    }

    @Test
    void aSessionWaitingForAnAnswerEitherStartsItsNextProcessOrEnds() {
        assertTrue(RUNNING.canMoveTo(AWAITING_ANSWER));
        assertTrue(AWAITING_ANSWER.canMoveTo(STARTING));
        assertTrue(AWAITING_ANSWER.canMoveTo(ENDED));
        assertFalse(AWAITING_ANSWER.canMoveTo(RUNNING));
        assertFalse(AWAITING_ANSWER.canMoveTo(VERIFYING));
    }

    @Test
    void nothingIsVerifiedOrAwaitedBeforeAProcessRan() {
        assertThrows(IllegalStateException.class, () -> STARTING.moveTo(VERIFYING));
        assertThrows(IllegalStateException.class, () -> STARTING.moveTo(AWAITING_ANSWER));
    }

    @Test
    void anEndedSessionCannotMoveAnywhere() {
        for (SessionPhase next : SessionPhase.values()) {
            assertFalse(ENDED.canMoveTo(next), "ended -> " + next);
        }
    }

    @Test
    void aRunningProcessIsNotStartedAgainWithoutEndingItsTurn() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RUNNING.moveTo(STARTING));
        assertTrue(e.getMessage().contains("RUNNING") && e.getMessage().contains("STARTING"), e.getMessage());
    }

    @Test
    void onlyAStartingOrRunningSessionMayHaveAProcess() {
        assertTrue(STARTING.hasProcess());
        assertTrue(RUNNING.hasProcess());
        assertFalse(VERIFYING.hasProcess());
        assertFalse(AWAITING_ANSWER.hasProcess());
        assertFalse(ENDED.hasProcess());
    }
}
