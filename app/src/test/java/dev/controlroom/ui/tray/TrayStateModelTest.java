package dev.controlroom.ui.tray;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.ui.tray.TrayState.Kind;
import dev.controlroom.ui.tray.TrayState.Look;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrayStateModelTest {
    private final TrayStateModel model = new TrayStateModel();

    static Event event(String type, Severity severity, String run) {
        return Event.draft(EventType.fromId(type), severity, type + " of " + run).withRun(run);
    }

    static Event taskEvent(String type, Severity severity, String run, long task) {
        return event(type, severity, run).withTask(task);
    }

    @Test
    void goesFromIdleToRunningTwoToAttentionAndBackAsTheEngineReports() {
        assertEquals(Look.IDLE, model.state().look());

        assertTrue(model.accept(List.of(event("run_started", Severity.INFO, "run-a"), event("run_started", Severity.INFO, "run-b"))));
        assertEquals(Look.RUNNING, model.state().look());
        assertEquals(2, model.state().running());

        assertTrue(model.accept(List.of(taskEvent("needs_input", Severity.WARNING, "run-a", 7))));
        TrayState asking = model.state();
        assertEquals(Look.ATTENTION, asking.look());
        assertEquals(Optional.of(Kind.NEEDS_INPUT), asking.worst());
        assertEquals(2, asking.running(), "runs keep counting while one of them waits");

        model.accept(List.of(taskEvent("answered", Severity.INFO, "run-a", 7)));
        assertEquals(Look.RUNNING, model.state().look());

        model.accept(List.of(event("run_finished", Severity.INFO, "run-a"), event("run_finished", Severity.INFO, "run-b")));
        assertEquals(TrayState.IDLE, model.state());
    }

    @Test
    void aFailedTaskOutranksAStuckAgentAndStaysUntilThePersonHasLooked() {
        model.accept(List.of(event("run_started", Severity.INFO, "run-a"),
                taskEvent("agent_stuck", Severity.ERROR, "run-a", 1),
                taskEvent("task_failed", Severity.ERROR, "run-a", 2)));
        assertEquals(Optional.of(Kind.FAILED), model.state().worst());
        assertEquals(Optional.of(2L), model.state().newest().orElseThrow().taskId(), "the newest attention is the failure");

        assertTrue(model.acknowledge());
        assertEquals(List.of(Kind.STUCK), model.state().attention().stream().map(TrayState.Attention::kind).toList(),
                "looking at the window does not unstick an agent");
        model.accept(List.of(taskEvent("task_started", Severity.INFO, "run-a", 1)));
        assertEquals(Look.RUNNING, model.state().look());
    }

    @Test
    void pausedRunsAreNotCountedAsRunningAndAFailedRunWantsAttention() {
        model.accept(List.of(event("run_started", Severity.INFO, "run-a"), event("run_paused", Severity.INFO, "run-a")));
        assertEquals(new TrayState(Look.IDLE, 0, 1, List.of()), model.state());
        assertTrue(model.state().tooltip().contains("1 paused"), model.state().tooltip());

        model.accept(List.of(event("run_resumed", Severity.INFO, "run-a"), event("run_finished", Severity.ERROR, "run-a")));
        TrayState state = model.state();
        assertEquals(Look.ATTENTION, state.look());
        assertEquals(0, state.running());
        assertEquals(Optional.empty(), state.attention().getFirst().taskId(), "a run's failure names no task");
    }

    @Test
    void seededRunsCountBeforeAnyEventAndUnrelatedEventsChangeNothing() {
        model.seed(List.of(summary("run-x", RunState.RUNNING)));
        assertEquals(1, model.state().running());
        assertFalse(model.accept(List.of(taskEvent("iteration_started", Severity.INFO, "run-x", 3),
                Event.draft(EventType.ROSTER_SEEDED, Severity.INFO, "hired"))));
    }

    @Test
    void noticesAreGivenForDoneFailedStuckAndNeedsInputOnly() {
        assertEquals("Run done", TrayNotice.of(event("run_finished", Severity.INFO, "run-a")).orElseThrow().title());
        assertEquals("Run failed", TrayNotice.of(event("run_finished", Severity.ERROR, "run-a")).orElseThrow().title());
        TrayNotice asks = TrayNotice.of(taskEvent("needs_input", Severity.WARNING, "run-a", 9)).orElseThrow();
        assertEquals(Optional.of(9L), asks.taskId(), "a click on the notice opens its task");
        assertEquals(TrayNotice.Level.WARNING, TrayNotice.of(taskEvent("agent_stuck", Severity.ERROR, "run-a", 9)).orElseThrow().level());
        assertEquals(TrayNotice.Level.ERROR, TrayNotice.of(taskEvent("task_failed", Severity.ERROR, "run-a", 9)).orElseThrow().level());
        assertTrue(TrayNotice.of(taskEvent("task_started", Severity.INFO, "run-a", 9)).isEmpty());
    }

    static RunSummary summary(String id, RunState state) {
        return summary(id, 1, state, Map.of(), Instant.parse("2025-01-01T00:00:00Z"));
    }

    static RunSummary summary(String id, long planId, RunState state, Map<dev.controlroom.domain.TaskState, Integer> counts, Instant at) {
        return new RunSummary(id, planId, "plan " + planId, state, WaveMode.BARRIER, 2, "test", Optional.empty(), Optional.empty(), at,
                Optional.empty(), counts);
    }
}
