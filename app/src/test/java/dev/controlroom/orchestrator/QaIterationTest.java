package dev.controlroom.orchestrator;

import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QA loop with a custom agent (any command that takes a prompt): verify after each
 * iteration, feed the structured failure into the next, stop early when nothing changes.
 */
class QaIterationTest {
    @TempDir
    Path dir;

    /** A custom agent: a script that records each prompt it gets and fixes the task from its {@code fixAt}-th prompt on. */
    private void hireScriptedAgent(EngineHarness h, int fixAt) throws Exception {
        Files.writeString(dir.resolve("agent.sh"), """
                n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
                printf '%%s\\n' "$1" > prompt.$n.txt
                if [ $n -ge %d ]; then echo fixed > result.txt; fi
                echo "iteration $n done"
                """.formatted(fixAt));
        h.store.agents().hire(new NewAgent("scripted", Optional.empty(), AgentProfile.CUSTOM, Optional.empty(),
                Optional.of("sh agent.sh {prompt}"), 1));
        h.orchestrator.rosterChanged();
    }

    @Test
    void failedVerificationFeedsItsFailureIntoTheNextIterationOfTheSameSession() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            hireScriptedAgent(h, 2);
            PlanSummary plan = h.plan("""
                    name: qa
                    tasks:
                      - { id: fix, prompt: "Create result.txt", verify: ["test -f result.txt"], max_attempts: 3 }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.SUCCEEDED, end.state());
            List<SessionRecord> sessions = h.store.runs().sessions(end.id());
            assertEquals(1, sessions.size(), "iterations continue one session");
            List<IterationRecord> iterations = h.store.runs().iterations(sessions.getFirst().id());
            assertEquals(List.of("failed", "passed"), iterations.stream().map(IterationRecord::status).toList());
            IterationRecord first = iterations.getFirst();
            assertEquals(Optional.of("verification `test -f result.txt` exited with code 1"), first.failureSummary());
            assertEquals(1, first.checks().size());
            assertEquals(Optional.of(1), first.checks().getFirst().exitCode());
            String second = Files.readString(dir.resolve("prompt.2.txt"));
            assertTrue(second.startsWith("Create result.txt"), second);
            assertTrue(second.contains("Control Room ran the task's verification and it failed."), second);
            assertTrue(second.contains("Command: test -f result.txt"), second);
            assertTrue(second.contains("Result: exit code 1"), second);
            assertEquals(second.strip(), iterations.get(1).prompt().orElseThrow().strip());
            assertTrue(h.types().contains("iteration_started"));
        }
    }

    @Test
    void theSameFailureTwiceStopsEarlyAndEscalates() throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            hireScriptedAgent(h, 99);
            PlanSummary plan = h.plan("""
                    name: stuck
                    tasks:
                      - { id: fix, prompt: "Create result.txt", verify: ["test -f result.txt"], max_attempts: 5 }
                    """);
            RunSummary end = h.runToEnd(plan, 1, WaveMode.DATAFLOW);

            assertEquals(RunState.FAILED, end.state());
            String reason = h.store.runs().tasks(end.id()).getFirst().reason().orElseThrow();
            assertTrue(reason.endsWith("stopped early: the same verification failure twice in a row"), reason);
            assertEquals("2", Files.readString(dir.resolve("count")).strip(), "two iterations, not five");
            assertTrue(h.types().contains("task_escalated"));
        }
    }
}
