package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.AgentStats;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.IllegalTransitionException;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.Severity;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.port.RunLedger;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one writer of engine state, without a database or a process: what it changes in memory and what it asks to store. */
class TransitionsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private final EngineState state = new EngineState(Map.of());
    private final Transitions transitions = new Transitions(state, Clock.fixed(NOW, ZoneOffset.UTC));
    /** Every call the decision made on the ledger's transaction, as "name arg arg ...". */
    private final List<String> stored = new ArrayList<>();
    private final List<Event> announced = new ArrayList<>();

    private RunModel run(TaskSpec... specs) {
        RunModel run = new RunModel("run-1", WaveMode.DATAFLOW, 4, Path.of("/tmp"), RunState.RUNNING, specs.length);
        long id = 1;
        for (TaskSpec spec : specs) {
            run.add(new StoredTask(id, 1, spec), (int) id - 1, spec.dependsOn().isEmpty() ? TaskState.READY : TaskState.PENDING, 0);
            id++;
        }
        run.link(NOW);
        return run;
    }

    private void store(Changes c) {
        c.applyTo((RunLedger.Tx) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RunLedger.Tx.class}, (p, m, args) -> {
            if (m.getName().equals("event")) {
                announced.add((Event) args[0]);
                return args[0];
            }
            StringBuilder call = new StringBuilder(m.getName());
            for (Object a : args) {
                call.append(' ').append(a);
            }
            stored.add(call.toString());
            return null;
        }));
    }

    private AgentSlot shellSlot() {
        Agent shell = new Agent(7, "sh1", Optional.empty(), AgentProfile.SHELL, Optional.empty(), Optional.empty(), 2, true,
                AgentStatus.IDLE, AgentStats.NONE, Optional.empty());
        state.refreshRoster(ledgerWith(shell));
        return state.agent(7).orElseThrow();
    }

    private static RunLedger ledgerWith(Agent agent) {
        return (RunLedger) Proxy.newProxyInstance(TransitionsTest.class.getClassLoader(), new Class<?>[] {RunLedger.class}, (p, m, args) ->
                switch (m.getName()) {
                    case "activeAgents" -> List.of(agent);
                    case "agent" -> Optional.of(agent);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private LiveSession startOn(RunModel run, TaskNode node, AgentSlot slot, Changes c) {
        LiveSession live = new LiveSession("run-1.a.1", 7, "shell", NOW, Optional.empty(), "/tmp", Optional.empty(),
                new AgentRuntime.Work.Command("true"));
        transitions.startSession(c, run, node, slot, live, Optional.empty(), "true");
        return live;
    }

    @Test
    void aTaskMoveIsStoredAndAnnouncedWithWhereItCameFromAndWentTo() {
        RunModel run = run(TaskSpec.shell("a", "true"));
        TaskNode a = run.task("a").orElseThrow();
        Changes c = new Changes();
        transitions.moveTask(c, run, a, TaskState.SKIPPED, Optional.of("by hand"), Note.of(EventType.TASK_SKIPPED, Severity.INFO, "skipped"));
        store(c);

        assertEquals(TaskState.SKIPPED, a.state());
        assertEquals(List.of("moveTask run-1 1 READY SKIPPED Optional[by hand]"), stored);
        assertEquals(EventType.TASK_SKIPPED, announced.getFirst().type());
        assertTrue(announced.getFirst().payload().contains("\"from\":\"ready\"") && announced.getFirst().payload().contains("\"to\":\"skipped\""));
    }

    @Test
    void aQuietMoveIsStoredWithoutAnEventOfItsOwn() {
        RunModel run = run(TaskSpec.shell("a", "true"), TaskSpec.shell("b", "true", "a"));
        Changes c = new Changes();
        transitions.moveTask(c, run, run.task("b").orElseThrow(), TaskState.READY, Optional.empty(), Note.QUIET);
        store(c);

        assertEquals(1, stored.size());
        assertTrue(announced.isEmpty());
    }

    @Test
    void anIllegalTaskMoveIsRefusedAndChangesNothing() {
        RunModel run = run(TaskSpec.shell("a", "true"), TaskSpec.shell("b", "true", "a"));
        TaskNode b = run.task("b").orElseThrow();
        Changes c = new Changes();

        assertThrows(IllegalTransitionException.class, () -> transitions.moveTask(c, run, b, TaskState.SUCCEEDED, Optional.empty(), Note.QUIET));
        assertEquals(TaskState.PENDING, b.state());
        assertTrue(c.isEmpty());
    }

    @Test
    void aTaskThatBecomesReadyJoinsTheQueueAndLeavesItWhenItStarts() {
        RunModel run = run(TaskSpec.shell("a", "true"), TaskSpec.shell("b", "true", "a"));
        TaskNode a = run.task("a").orElseThrow();
        TaskNode b = run.task("b").orElseThrow();
        transitions.moveTask(new Changes(), run, a, TaskState.SKIPPED, Optional.empty(), Note.QUIET);
        transitions.moveTask(new Changes(), run, b, TaskState.READY, Optional.empty(), Note.QUIET);
        assertEquals(List.of(b), run.readyTasks());

        startOn(run, b, shellSlot(), new Changes());
        assertFalse(run.hasReadyTasks());
        assertEquals(TaskState.RUNNING, b.state());
    }

    @Test
    void startingASessionCountsAnAttemptTakesTheAgentsSlotAndStoresTheSessionFirst() {
        RunModel run = run(TaskSpec.shell("a", "true"));
        TaskNode a = run.task("a").orElseThrow();
        AgentSlot slot = shellSlot();
        Changes c = new Changes();
        LiveSession live = startOn(run, a, slot, c);
        store(c);

        assertEquals(1, a.attempts());
        assertEquals(1, slot.running());
        assertTrue(a.isLive(live));
        assertEquals(SessionPhase.STARTING, live.phase());
        assertTrue(stored.getFirst().startsWith("startSession run-1.a.1 run-1 1 7 1 /tmp"), stored.getFirst());
    }

    @Test
    void endingASessionThatNeverStartedFreesTheSlotAndSaysItFailedToStart() {
        RunModel run = run(TaskSpec.shell("a", "true"));
        TaskNode a = run.task("a").orElseThrow();
        AgentSlot slot = shellSlot();
        LiveSession live = startOn(run, a, slot, new Changes());
        Changes c = new Changes();
        transitions.endSession(c, run, a, live, Optional.empty(), "no such directory", Optional.of(false));
        store(c);

        assertEquals(0, slot.running());
        assertTrue(a.live().isEmpty());
        assertEquals(SessionPhase.ENDED, live.phase());
        assertEquals("endSession run-1.a.1 FAILED_TO_START Optional.empty no such directory", stored.getFirst());
    }

    @Test
    void aSessionEndedByTheEngineSaysWhetherItWasKilledOrInterrupted() {
        RunModel run = run(TaskSpec.shell("a", "true"), TaskSpec.shell("b", "true"));
        AgentSlot slot = shellSlot();
        LiveSession timedOut = startOn(run, run.task("a").orElseThrow(), slot, new Changes());
        LiveSession stopped = new LiveSession("run-1.b.1", 7, "shell", NOW, Optional.empty(), "/tmp", Optional.empty(),
                new AgentRuntime.Work.Command("true"));
        transitions.startSession(new Changes(), run, run.task("b").orElseThrow(), slot, stopped, Optional.empty(), "true");
        timedOut.markKilled(KillReason.TIMEOUT);
        stopped.markKilled(KillReason.STOPPED);
        Changes c = new Changes();
        transitions.endSession(c, run, run.task("a").orElseThrow(), timedOut, Optional.of(143), "timed out", Optional.of(false));
        transitions.endSession(c, run, run.task("b").orElseThrow(), stopped, Optional.empty(), "stopped", Optional.empty());
        store(c);

        assertTrue(stored.stream().anyMatch(s -> s.startsWith("endSession run-1.a.1 KILLED Optional[143]")), stored.toString());
        assertTrue(stored.stream().anyMatch(s -> s.startsWith("endSession run-1.b.1 INTERRUPTED")), stored.toString());
    }

    @Test
    void parkingOnARateLimitDoesNotCountTheAttempt() {
        RunModel run = run(TaskSpec.shell("a", "true"));
        TaskNode a = run.task("a").orElseThrow();
        LiveSession live = startOn(run, a, shellSlot(), new Changes());
        Changes c = new Changes();
        transitions.endSession(c, run, a, live, Optional.of(1), "rate limited", Optional.empty());
        transitions.park(c, run, a, NOW.plusSeconds(60), "rate limited", Note.QUIET);

        assertEquals(0, a.attempts());
        assertEquals(TaskState.PARKED, a.state());
        assertEquals(Optional.of(NOW.plusSeconds(60)), a.nextAttemptAt());
    }

    @Test
    void aWaveCountsItsFinishedTasksAndARetryReopensIt() {
        RunModel run = run(TaskSpec.shell("a", "true"));
        TaskNode a = run.task("a").orElseThrow();
        transitions.moveTask(new Changes(), run, a, TaskState.FAILED, Optional.of("no agent"), Note.QUIET);
        assertTrue(run.allTerminal());

        transitions.moveTask(new Changes(), run, a, TaskState.READY, Optional.empty(), Note.QUIET);
        assertFalse(run.allTerminal());
        assertEquals(List.of(a), run.readyTasks());
    }

    @Test
    void aRunMovesOnlyAlongItsTableAndAMoveToWhereItIsChangesNothing() {
        RunModel run = run(TaskSpec.shell("a", "true"));
        Changes same = new Changes();
        transitions.moveRun(same, run, RunState.RUNNING, Optional.empty(), Note.of(EventType.RUN_RESUMED, Severity.INFO, "again"));
        assertTrue(same.isEmpty());

        transitions.moveRun(new Changes(), run, RunState.SUCCEEDED, Optional.empty(), Note.QUIET);
        assertThrows(IllegalTransitionException.class,
                () -> transitions.moveRun(new Changes(), run, RunState.PAUSED, Optional.of("too late"), Note.QUIET));
        assertEquals(RunState.SUCCEEDED, run.state());
    }

    @Test
    void aNewProcessOfTheSessionStartsWithAFreshTurn() {
        RunModel run = run(TaskSpec.shell("a", "true"));
        TaskNode a = run.task("a").orElseThrow();
        LiveSession live = startOn(run, a, shellSlot(), new Changes());
        live.turn().asked("Proceed?");
        live.turn().ended(true, Optional.of("failed"));
        transitions.attach(live, (AgentRuntime.Process) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AgentRuntime.Process.class}, (p, m, args) -> null));
        transitions.awaitingAnswer(live);

        transitions.relaunch(live, new AgentRuntime.Work.Command("true"));

        assertEquals(SessionPhase.STARTING, live.phase());
        assertTrue(live.turn().question().isEmpty());
        assertFalse(live.turn().failed());
        assertTrue(live.process().isEmpty());
    }
}
