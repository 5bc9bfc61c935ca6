package dev.controlroom.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentStatsTest {
    @Test
    void agentWithoutFinishedTasksHasNoSuccessRateYet() {
        assertTrue(AgentStats.NONE.successRate().isEmpty());
    }

    @Test
    void successRateIsTheShareOfFinishedTasksThatSucceeded() {
        assertEquals(0.75, new AgentStats(3, 1, 25, 0, 0).successRate().getAsDouble(), 1e-9);
    }
}
