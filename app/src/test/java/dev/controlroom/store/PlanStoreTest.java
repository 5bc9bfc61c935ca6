package dev.controlroom.store;

import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskContext;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PlanStoreTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = StoreTestSupport.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static PlanSpec plan(String yaml) {
        return new PlanReader(Set.of()).parse(yaml, PlanReader.Format.YAML, "t.yaml").orThrow();
    }

    @Test
    void importedPlanReadsBackAsDeclaredWithItsAgentsAndDependencies() {
        PlanSpec spec = plan("""
                name: release
                settings: { concurrency: 3, wave_mode: barrier }
                agents: [ { id: sh1, profile: shell, max_concurrent: 2 } ]
                tasks:
                  - { id: fetch, command: git pull, agent: sh1, priority: 5, verify: ["test -d .git"], timeout: 90s,
                      context: { working_dir: src, env: { A: b }, setup: [make deps], worktree: true, branch: main } }
                  - { id: build, command: make, depends_on: [fetch], critical: true, max_attempts: 3 }
                  - { id: notes, prompt: Write notes, profile: claude, depends_on: [build, fetch] }
                """);

        PlanSummary summary = store.plans().importPlan(spec, PlanStore.Source.of("/x/release.yaml", "yaml", "..."));

        assertEquals("release", summary.name());
        assertEquals(3, summary.taskCount());
        assertEquals(WaveMode.BARRIER, summary.waveMode());
        assertEquals(Optional.of(3), summary.concurrency());
        assertEquals(Optional.of("/x/release.yaml"), summary.sourcePath());
        List<TaskSpec> back = store.plans().tasksOf(summary.id()).stream().map(StoredTask::spec).toList();
        // Environment values live in the vault: the database holds a reference that gives the value back.
        String reference = back.getFirst().context().env().get("A");
        assertTrue(reference.startsWith("${secret:"), reference);
        assertEquals("b", store.secrets().unseal(reference));
        TaskContext declared = spec.tasks().getFirst().context();
        TaskSpec first = spec.tasks().getFirst();
        TaskSpec firstWithReference = new TaskSpec(first.key(), first.title(), first.command(), first.prompt(), first.priority(),
                first.dependsOn(), first.agent(), first.profile(), first.pinned(), first.critical(), first.category(),
                new TaskContext(declared.repo(), declared.workingDir(), declared.branch(), declared.worktree(), Map.of("A", reference),
                        declared.setup(), declared.copyFiles()), first.verify(), first.maxAttempts(), first.timeout());
        List<TaskSpec> expected = new java.util.ArrayList<>(spec.tasks());
        expected.set(0, firstWithReference);
        assertEquals(expected, back);
        assertEquals(AgentProfile.SHELL, store.agents().findByName("sh1").orElseThrow().profile());
        assertEquals(2, store.agents().findByName("sh1").orElseThrow().maxConcurrent());
    }

    @Test
    void failedImportStoresNothing() {
        // A task naming a dependency the plan does not have cannot come from the reader, but a
        // caller bypassing it must not leave half a plan behind.
        PlanSpec broken = new PlanSpec("broken", Optional.empty(), WaveMode.DATAFLOW, List.of(
                new PlanSpec.AgentSpec("sh9", AgentProfile.SHELL, Optional.empty(), 1, Optional.empty())),
                List.of(TaskSpec.shell("a", "true"), TaskSpec.shell("b", "true", "missing")));

        assertThrows(RuntimeException.class, () -> store.plans().importPlan(broken, PlanStore.Source.of(null, "api", null)));

        assertEquals(List.of(), store.plans().list());
        assertEquals(Optional.empty(), store.agents().findByName("sh9"));
    }

    @Test
    void taskListsAreListedNewestFirst() {
        store.plans().importPlan(plan("name: one\ntasks: [{id: a, command: 'true'}]"), PlanStore.Source.of(null, "yaml", null));
        store.plans().importPlan(plan("name: two\ntasks: [{id: a, command: 'true'}]"), PlanStore.Source.of(null, "yaml", null));

        assertEquals(List.of("two", "one"), store.plans().list().stream().map(PlanSummary::name).toList());
    }

    @Test
    void aHundredThousandTaskPlanIsImportedInOneTransaction() {
        List<TaskSpec> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            tasks.add(i == 0 ? TaskSpec.shell("t0", "true") : TaskSpec.shell("t" + i, "true", "t" + (i / 2)));
        }
        PlanSpec plan = new PlanSpec("big", Optional.empty(), WaveMode.DATAFLOW, List.of(), tasks);
        long start = System.nanoTime();

        PlanSummary summary = store.plans().importPlan(plan, PlanStore.Source.of("/x/big.json", "json", null));
        long seconds = (System.nanoTime() - start) / 1_000_000_000;

        assertEquals(100_000, summary.taskCount());
        List<StoredTask> back = store.plans().tasksOf(summary.id());
        assertEquals(List.of("t49999"), back.get(99_999).spec().dependsOn());
        assertTrue(seconds < 60, "imported in " + seconds + " s");
    }
}
