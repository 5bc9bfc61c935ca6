package dev.controlroom.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph of a task list: cycle detection and wave levels. Wave 0 holds the tasks
 * without dependencies; a task's wave is one more than the deepest wave among its dependencies.
 *
 * @param <K> the task key type
 */
public final class Dag<K> {

    private final Map<K, List<K>> dependencies;

    private Dag(Map<K, List<K>> dependencies) {
        this.dependencies = dependencies;
    }

    /**
     * Builds a graph from each task's dependency list, in the caller's order.
     *
     * @throws IllegalArgumentException when a dependency names no task of the graph
     */
    public static <K> Dag<K> of(Map<K, ? extends Collection<K>> dependsOn) {
        Map<K, List<K>> copy = new LinkedHashMap<>();
        dependsOn.forEach((task, deps) -> copy.put(task, List.copyOf(new LinkedHashSet<>(deps))));
        copy.forEach((task, deps) -> {
            for (K dep : deps) {
                if (!copy.containsKey(dep)) {
                    throw new IllegalArgumentException("task " + task + " depends on unknown task " + dep);
                }
            }
        });
        return new Dag<>(copy);
    }

    /** The graph of a task list, keyed by task id, in the list's order. */
    public static Dag<String> ofTasks(List<TaskSpec> tasks) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        tasks.forEach(t -> deps.put(t.key(), t.dependsOn()));
        return of(deps);
    }

    public Set<K> tasks() {
        return dependencies.keySet();
    }

    public List<K> dependenciesOf(K task) {
        return dependencies.getOrDefault(task, List.of());
    }

    /** Every cycle found, each as the path that closes it: {@code [build, test, build]}. */
    public List<List<K>> cycles() {
        List<List<K>> cycles = new ArrayList<>();
        Map<K, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the current path, 2: done
        for (K start : dependencies.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            // Iterative DFS: a plan of 10,000 tasks must not overflow the stack.
            Deque<K> path = new ArrayDeque<>();
            Deque<java.util.Iterator<K>> iterators = new ArrayDeque<>();
            path.push(start);
            iterators.push(dependencies.get(start).iterator());
            state.put(start, 1);
            while (!path.isEmpty()) {
                java.util.Iterator<K> it = iterators.peek();
                if (it.hasNext()) {
                    K next = it.next();
                    Integer s = state.get(next);
                    if (s == null) {
                        state.put(next, 1);
                        path.push(next);
                        iterators.push(dependencies.get(next).iterator());
                    } else if (s == 1) {
                        cycles.add(closingPath(path, next));
                    }
                } else {
                    state.put(path.pop(), 2);
                    iterators.pop();
                }
            }
        }
        return cycles;
    }

    /** The path as a human reads it: each task followed by the one it depends on, back to the first. */
    private static <K> List<K> closingPath(Deque<K> path, K repeated) {
        List<K> cycle = new ArrayList<>();
        for (java.util.Iterator<K> it = path.descendingIterator(); it.hasNext(); ) {
            K k = it.next();
            if (!cycle.isEmpty() || k.equals(repeated)) {
                cycle.add(k);
            }
        }
        cycle.add(repeated);
        return cycle;
    }

    /**
     * The wave of every task.
     *
     * @throws IllegalStateException when the graph has a cycle
     */
    public Map<K, Integer> waves() {
        Map<K, Integer> indegree = new HashMap<>();
        Map<K, List<K>> dependents = new HashMap<>();
        dependencies.forEach((task, deps) -> {
            indegree.put(task, deps.size());
            for (K dep : deps) {
                dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(task);
            }
        });
        Map<K, Integer> wave = new LinkedHashMap<>();
        Deque<K> ready = new ArrayDeque<>();
        dependencies.keySet().stream().filter(t -> indegree.get(t) == 0).forEach(t -> {
            ready.add(t);
            wave.put(t, 0);
        });
        while (!ready.isEmpty()) {
            K task = ready.poll();
            int level = wave.get(task);
            for (K dependent : dependents.getOrDefault(task, List.of())) {
                wave.merge(dependent, level + 1, Math::max);
                if (indegree.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (wave.size() != dependencies.size()) {
            throw new IllegalStateException("the task graph has a cycle: " + cycles().getFirst());
        }
        Map<K, Integer> ordered = new LinkedHashMap<>();
        dependencies.keySet().forEach(t -> ordered.put(t, wave.get(t)));
        return ordered;
    }

    /** The tasks of each wave, wave 0 first, each in the graph's order. */
    public List<List<K>> levels() {
        Map<K, Integer> waves = waves();
        int count = waves.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<K>> levels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            levels.add(new ArrayList<>());
        }
        waves.forEach((task, w) -> levels.get(w).add(task));
        return levels;
    }

    public Optional<List<K>> firstCycle() {
        List<List<K>> cycles = cycles();
        return cycles.isEmpty() ? Optional.empty() : Optional.of(cycles.getFirst());
    }
}
