package dev.controlroom.ui.tray;

import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.TaskState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tray menu as plain data, built off the AWT and FX threads from what the store says; the
 * AWT side only turns it into menu items. Kept apart so that what the menu offers is tested
 * without a display.
 */
public final class TrayMenu {
    static final int RECENT_PLANS = 5;

    private TrayMenu() {
    }

    /** One line of the menu. */
    public sealed interface Entry {
    }

    /** A line that does something when chosen. */
    public record Action(String label, Command command, boolean enabled) implements Entry {
    }

    /** A line that only tells (a run's status). */
    public record Info(String label) implements Entry {
    }

    public record Submenu(String label, List<Entry> entries) implements Entry {
    }

    public record Separator() implements Entry {
    }

    /** What a chosen line asks for. */
    public sealed interface Command {
    }

    public record Open() implements Command {
    }

    public record StartPlan(long planId) implements Command {
    }

    public record PauseAll() implements Command {
    }

    public record ResumeAll() implements Command {
    }

    public record StopAll() implements Command {
    }

    public record Quit() implements Command {
    }

    /**
     * The menu for the runs this process runs now and the recently used task lists.
     *
     * @param active the runs this process runs, as stored
     * @param recent the task lists to offer for a new run, newest first
     */
    public static List<Entry> build(List<RunSummary> active, List<PlanSummary> recent) {
        List<Entry> menu = new ArrayList<>();
        menu.add(new Action("Open Control Room", new Open(), true));
        List<Entry> plans = recent.stream().<Entry>map(p -> new Action(p.name() + " (" + p.taskCount() + " tasks)",
                new StartPlan(p.id()), true)).toList();
        menu.add(new Submenu("Start a recent plan", plans.isEmpty() ? List.of(new Info("No task lists yet")) : plans));
        menu.add(new Separator());
        boolean anyRunning = active.stream().anyMatch(r -> r.state() == RunState.RUNNING);
        boolean anyPaused = active.stream().anyMatch(r -> r.state() == RunState.PAUSED);
        menu.add(new Action("Pause all", new PauseAll(), anyRunning));
        menu.add(new Action("Resume all", new ResumeAll(), anyPaused));
        menu.add(new Action("Stop all", new StopAll(), anyRunning));
        menu.add(new Separator());
        if (active.isEmpty()) {
            menu.add(new Info("No runs in progress"));
        } else {
            active.forEach(r -> menu.add(new Info(statusLine(r))));
        }
        menu.add(new Separator());
        menu.add(new Action("Quit", new Quit(), true));
        return List.copyOf(menu);
    }

    /** "run-… · Sample plan · running · 3/8 done": one run at a glance. */
    static String statusLine(RunSummary run) {
        int done = run.count(TaskState.SUCCEEDED) + run.count(TaskState.SKIPPED);
        return run.id() + " · " + run.planName() + " · " + run.state().id() + " · " + done + "/" + run.total() + " done";
    }

    /**
     * The task lists run most recently, newest first, topped up with the newest imported ones
     * when fewer than {@code limit} were ever run.
     */
    static List<PlanSummary> recentPlans(List<RunSummary> latestRuns, List<PlanSummary> plans, int limit) {
        Map<Long, PlanSummary> byId = new LinkedHashMap<>();
        plans.forEach(p -> byId.put(p.id(), p));
        Map<Long, PlanSummary> recent = new LinkedHashMap<>();
        latestRuns.stream().map(RunSummary::planId).map(byId::get).filter(java.util.Objects::nonNull)
                .forEach(p -> recent.putIfAbsent(p.id(), p));
        plans.stream().sorted(java.util.Comparator.comparing(PlanSummary::importedAt).reversed())
                .forEach(p -> recent.putIfAbsent(p.id(), p));
        return recent.values().stream().limit(limit).toList();
    }

    /** Every action line of a menu, submenus included: for finding a line by what it does. */
    static List<Action> actions(List<Entry> menu) {
        List<Action> all = new ArrayList<>();
        for (Entry e : menu) {
            if (e instanceof Action a) {
                all.add(a);
            } else if (e instanceof Submenu s) {
                all.addAll(actions(s.entries()));
            }
        }
        return all;
    }
}
