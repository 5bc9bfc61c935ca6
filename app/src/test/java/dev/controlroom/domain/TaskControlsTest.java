package dev.controlroom.domain;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What each task state lets a person do, as the engine guards its controls. */
class TaskControlsTest {

    private static Set<TaskState> allowing(Predicate<TaskControls> control) {
        EnumSet<TaskState> states = EnumSet.noneOf(TaskState.class);
        for (TaskState s : TaskState.values()) {
            if (control.test(TaskControls.of(s))) {
                states.add(s);
            }
        }
        return states;
    }

    @Test
    void onlyAFailedUndecidedOrCancelledTaskCanBeRetried() {
        assertEquals(EnumSet.of(TaskState.FAILED, TaskState.NEEDS_DECISION, TaskState.CANCELLED), allowing(TaskControls::retry));
    }

    @Test
    void aRunningTaskCanBeSkippedAndSoCanEveryStateTheTableLetsMoveToSkipped() {
        assertEquals(EnumSet.of(TaskState.PENDING, TaskState.READY, TaskState.RUNNING, TaskState.RETRY_WAIT, TaskState.FAILED,
                TaskState.BLOCKED, TaskState.NEEDS_DECISION, TaskState.PARKED), allowing(TaskControls::skip));
    }

    @Test
    void aSucceededOrSkippedTaskCannotBeSkippedAgain() {
        assertFalse(TaskControls.of(TaskState.SUCCEEDED).skip());
        assertFalse(TaskControls.of(TaskState.SKIPPED).skip());
    }

    @Test
    void aCancelledTaskCannotBeCancelledAgainThoughTheTableLetsItBeRetried() {
        assertFalse(TaskControls.of(TaskState.CANCELLED).cancel());
    }

    @Test
    void everyUnfinishedTaskCanBeCancelled() {
        assertEquals(EnumSet.of(TaskState.PENDING, TaskState.READY, TaskState.RUNNING, TaskState.RETRY_WAIT, TaskState.BLOCKED,
                TaskState.NEEDS_DECISION, TaskState.PARKED), allowing(TaskControls::cancel));
    }

    @Test
    void aFailedTaskCanBeReassignedButNoOtherFinishedOne() {
        assertEquals(EnumSet.of(TaskState.PENDING, TaskState.READY, TaskState.RUNNING, TaskState.RETRY_WAIT, TaskState.NEEDS_DECISION,
                TaskState.PARKED, TaskState.FAILED), allowing(TaskControls::reassign));
    }

    @Test
    void checksRunAgainOnlyOnceAnAttemptHasEndedAndNoneRuns() {
        assertEquals(EnumSet.complementOf(EnumSet.of(TaskState.PENDING, TaskState.READY, TaskState.RUNNING)),
                allowing(TaskControls::verify));
    }

    @Test
    void onlyARunningTaskHasASessionToTerminate() {
        assertEquals(EnumSet.of(TaskState.RUNNING), allowing(TaskControls::terminate));
    }

    @Test
    void onlyARunningTaskCanBeAnswered() {
        assertEquals(EnumSet.of(TaskState.RUNNING), allowing(TaskControls::answer));
    }
}
