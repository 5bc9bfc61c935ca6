package dev.controlroom.plan;

import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.Watchdog;
import dev.controlroom.domain.Watchdog.Policy;
import dev.controlroom.orchestrator.state.WatchRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watchdog's settings: read from plans at two levels, written back, and resolved with agents', profiles' and built-in defaults. */
class WatchdogSettingsTest {
    private static final String PLAN = """
            name: watched
            settings:
              watchdog: { silence: 45s, on_stuck: handoff }
            tasks:
              - id: quick
                prompt: do it
                watchdog: { silence: 3s, on_repeated_error: ask }
              - id: build
                command: make
                watchdog: { silence: off }
              - id: plain
                prompt: other
            """;

    @Test
    void aPlanSetsTheWatchdogForItsTasksAndEachTaskOverTheList() {
        PlanSpec plan = new PlanReader(Set.of()).parse(PLAN, PlanReader.Format.YAML, "w.yaml").orThrow();

        assertEquals(new Watchdog(Optional.of(Duration.ofSeconds(45)), Optional.of(Policy.HANDOFF), Optional.empty()), plan.watchdog());
        TaskSpec quick = plan.tasks().get(0);
        assertEquals(new Watchdog(Optional.of(Duration.ofSeconds(3)), Optional.empty(), Optional.of(Policy.ASK)), quick.watchdog());
        assertEquals(Optional.of(Watchdog.OFF), plan.tasks().get(1).watchdog().silence());
        assertTrue(plan.tasks().get(2).watchdog().isEmpty());

        WatchRules rules = WatchRules.of(plan.watchdog(), Map.of(), Optional.empty());
        assertEquals(new WatchRules.Resolved(Duration.ofSeconds(3), Policy.HANDOFF, Policy.ASK), rules.resolve(quick, "claude-1", "claude"));
        assertTrue(rules.resolve(plan.tasks().get(1), "shell-1", "shell").off());
        assertEquals(Duration.ofSeconds(45), rules.resolve(plan.tasks().get(2), "codex-1", "codex").silence());
    }

    @Test
    void theSettingsSurviveWritingThePlanBack() {
        PlanSpec plan = new PlanReader(Set.of()).parse(PLAN, PlanReader.Format.YAML, "w.yaml").orThrow();
        String written = new PlanWriter().write(plan, PlanReader.Format.YAML);

        PlanSpec again = new PlanReader(Set.of()).parse(written, PlanReader.Format.YAML, "again.yaml").orThrow();
        assertEquals(plan.watchdog(), again.watchdog());
        assertEquals(plan.tasks().stream().map(TaskSpec::watchdog).toList(), again.tasks().stream().map(TaskSpec::watchdog).toList());
    }

    @Test
    void badValuesAreNamedWithTheirPlace() {
        PlanResult result = new PlanReader(Set.of()).parse("""
                name: bad
                settings:
                  watchdog: { silence: soon, on_stuck: panic, quiet: 1 }
                tasks:
                  - { id: a, prompt: x, watchdog: { on_repeated_error: retry } }
                """, PlanReader.Format.YAML, "bad.yaml");

        assertFalse(result.valid());
        String problems = result.problems().toString();
        assertTrue(problems.contains("settings.watchdog.silence: 'silence' must be a duration"), problems);
        assertTrue(problems.contains("'on_stuck' must be one of restart, handoff, ask, nudge, not 'panic'"), problems);
        assertTrue(problems.contains("unknown key 'quiet'"), problems);
        assertTrue(problems.contains("tasks[0].watchdog.on_repeated_error: 'on_repeated_error' must be one of"), problems);
    }

    @Test
    void withNothingSetEachProfileGetsADefaultBelowItsCliOwnLimitsAndShellCommandsAreNotWatched() {
        TaskSpec task = TaskSpec.shell("t", "true");
        WatchRules none = WatchRules.NONE;

        assertEquals(Duration.ofSeconds(120), none.resolve(task, "claude-1", "claude").silence());
        assertEquals(Duration.ofSeconds(120), none.resolve(task, "codex-1", "codex").silence());
        assertTrue(none.resolve(task, "shell-1", "shell").off());
        assertEquals(Policy.RESTART, none.resolve(task, "claude-1", "claude").onStuck());
        assertEquals(Policy.HANDOFF, none.resolve(task, "claude-1", "claude").onRepeatedError());
    }

    @Test
    void agentSettingsWinOverProfileSettingsAndTheTaskListOverBoth() {
        Map<String, String> settings = Map.of(
                "profile.claude.silence", "90s",
                "agent.claude-2.silence", "30s",
                "agent.claude-2.on_stuck", "nudge",
                "profile.shell.silence", "10m",
                "agent.broken.silence", "whenever");
        TaskSpec task = TaskSpec.shell("t", "true");

        WatchRules rules = WatchRules.of(Watchdog.NONE, settings, Optional.empty());
        assertEquals(Duration.ofSeconds(90), rules.resolve(task, "claude-1", "claude").silence());
        assertEquals(new WatchRules.Resolved(Duration.ofSeconds(30), Policy.NUDGE, Policy.HANDOFF), rules.resolve(task, "claude-2", "claude"));
        assertEquals(Duration.ofMinutes(10), rules.resolve(task, "shell-1", "shell").silence());
        assertEquals(Duration.ofSeconds(90), rules.resolve(task, "broken", "claude").silence(), "a value that does not parse is left out");

        WatchRules listed = WatchRules.of(Watchdog.silence(Duration.ofSeconds(5)), settings, Optional.of(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(5), listed.resolve(task, "claude-2", "claude").silence());
    }
}
