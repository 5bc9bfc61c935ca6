package dev.controlroom.ui.tray;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.ui.tray.TrayMenu.Action;
import dev.controlroom.ui.tray.TrayMenu.Entry;
import dev.controlroom.ui.tray.TrayMenu.Info;
import dev.controlroom.ui.tray.TrayMenu.Submenu;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.controlroom.ui.tray.TrayStateModelTest.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrayMenuTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    static PlanSummary plan(long id, int minutes) {
        return new PlanSummary(id, "plan " + id, Optional.empty(), WaveMode.BARRIER, Optional.empty(), T0.plusSeconds(60L * minutes), 3);
    }

    private static Action action(List<Entry> menu, String label) {
        return TrayMenu.actions(menu).stream().filter(a -> a.label().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void withNothingRunningOnlyOpenStartAndQuitAreOffered() {
        List<Entry> menu = TrayMenu.build(List.of(), List.of(plan(1, 0)));
        assertTrue(action(menu, "Open Control Room").enabled());
        assertTrue(action(menu, "Quit").enabled());
        assertFalse(action(menu, "Pause all").enabled());
        assertFalse(action(menu, "Resume all").enabled());
        assertFalse(action(menu, "Stop all").enabled());
        assertTrue(menu.contains(new Info("No runs in progress")));
        Submenu start = (Submenu) menu.stream().filter(e -> e instanceof Submenu).findFirst().orElseThrow();
        assertEquals(List.of(new Action("plan 1 (3 tasks)", new TrayMenu.StartPlan(1), true)), start.entries());
    }

    @Test
    void activeRunsGetAStatusLineAndEnableWhatFitsTheirState() {
        RunSummary running = summary("run-a", 1, RunState.RUNNING,
                Map.of(TaskState.SUCCEEDED, 2, TaskState.SKIPPED, 1, TaskState.RUNNING, 2, TaskState.PENDING, 3), T0);
        RunSummary paused = summary("run-b", 2, RunState.PAUSED, Map.of(TaskState.PENDING, 4), T0);

        List<Entry> menu = TrayMenu.build(List.of(running, paused), List.of());

        assertTrue(menu.contains(new Info("run-a · plan 1 · running · 3/8 done")), menu.toString());
        assertTrue(menu.contains(new Info("run-b · plan 2 · paused · 0/4 done")), menu.toString());
        assertTrue(action(menu, "Pause all").enabled());
        assertTrue(action(menu, "Resume all").enabled());
        assertTrue(action(menu, "Stop all").enabled());
        assertTrue(TrayMenu.actions(menu).stream().noneMatch(a -> a.command() instanceof TrayMenu.StartPlan),
                "no task list yet: the submenu says so instead");
    }

    @Test
    void recentPlansAreTheLastRunOnesThenTheNewestImportedAtMostFive() {
        List<PlanSummary> plans = List.of(plan(1, 1), plan(2, 2), plan(3, 3), plan(4, 4), plan(5, 5), plan(6, 6), plan(7, 7));
        List<RunSummary> latestRuns = List.of(summary("run-3", 3, RunState.SUCCEEDED, Map.of(), T0),
                summary("run-1", 1, RunState.FAILED, Map.of(), T0), summary("run-3b", 3, RunState.SUCCEEDED, Map.of(), T0),
                summary("run-gone", 99, RunState.SUCCEEDED, Map.of(), T0));

        List<Long> recent = TrayMenu.recentPlans(latestRuns, plans, TrayMenu.RECENT_PLANS).stream().map(PlanSummary::id).toList();

        assertEquals(List.of(3L, 1L, 7L, 6L, 5L), recent);
    }
}
