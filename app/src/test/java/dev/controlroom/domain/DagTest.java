package dev.controlroom.domain;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DagTest {

    private static Map<String, List<String>> graph(String... edges) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String e : edges) {
            String[] parts = e.split(":", -1);
            g.put(parts[0], parts[1].isEmpty() ? List.of() : List.of(parts[1].split(",")));
        }
        return g;
    }

    @Test
    void taskWithoutDependenciesIsInWaveZeroAndOthersOneDeeperThanTheirDeepestDependency() {
        Dag<String> dag = Dag.of(graph("a:", "b:", "c:a", "d:a,c", "e:b"));

        assertEquals(Map.of("a", 0, "b", 0, "c", 1, "d", 2, "e", 1), dag.waves());
        assertEquals(List.of(List.of("a", "b"), List.of("c", "e"), List.of("d")), dag.levels());
    }

    @Test
    void cycleIsReportedAsThePathThatClosesIt() {
        Dag<String> dag = Dag.of(graph("build:test", "test:build", "lint:"));

        assertEquals(List.of(List.of("build", "test", "build")), dag.cycles());
        IllegalStateException e = assertThrows(IllegalStateException.class, dag::waves);
        assertTrue(e.getMessage().contains("[build, test, build]"), e.getMessage());
    }

    @Test
    void longerCycleNamesEveryTaskOnIt() {
        Dag<String> dag = Dag.of(graph("a:", "b:a,d", "c:b", "d:c"));

        assertEquals(List.of(List.of("b", "d", "c", "b")), dag.cycles());
    }

    @Test
    void unknownDependencyIsRejectedWithBothNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dag.of(graph("a:zzz")));

        assertEquals("task a depends on unknown task zzz", e.getMessage());
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Map<Integer, List<Integer>> chain = new LinkedHashMap<>();
        chain.put(0, List.of());
        for (int i = 1; i < 50_000; i++) {
            chain.put(i, List.of(i - 1));
        }
        Dag<Integer> dag = Dag.of(chain);

        assertTrue(dag.cycles().isEmpty());
        assertEquals(49_999, dag.waves().get(49_999));
    }
}
