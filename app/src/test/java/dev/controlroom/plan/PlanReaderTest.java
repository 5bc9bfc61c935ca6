package dev.controlroom.plan;

import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanReaderTest {
    private final PlanReader reader = new PlanReader(Set.of("shell-1"));

    private List<String> problems(String yaml) {
        PlanResult r = reader.parse(yaml, PlanReader.Format.YAML, "plan.yaml");
        assertFalse(r.valid(), "expected problems");
        return r.problems().stream().map(PlanProblem::toString).toList();
    }

    @Test
    void fullPlanIsReadWithEveryKeyItsMeaning() {
        String yaml = """
                name: release-prep
                settings: { concurrency: 4, wave_mode: barrier }
                agents:
                  - { id: sh1, profile: shell, max_concurrent: 2 }
                tasks:
                  - id: fetch
                    title: Fetch sources
                    command: "git pull"
                    priority: 5
                    depends_on: []
                    agent: sh1
                    pinned: true
                    critical: true
                    category: build
                    context: { repo: ., working_dir: src, branch: main, worktree: true, env: { K: V, N: 3 }, setup: ["npm ci"], copy_files: [".env"] }
                    verify: ["test -f out.txt"]
                    max_attempts: 2
                    timeout: 10m
                  - id: ask
                    prompt: "Write the notes"
                    profile: claude
                    depends_on: fetch
                    verify: "test -f NOTES.md"
                """;
        PlanResult r = reader.parse(yaml, PlanReader.Format.YAML, "plan.yaml");

        assertTrue(r.valid(), () -> r.problems().toString());
        PlanSpec plan = r.plan().orElseThrow();
        assertEquals("release-prep", plan.name());
        assertEquals(Optional.of(4), plan.concurrency());
        assertEquals(WaveMode.BARRIER, plan.waveMode());
        assertEquals("sh1", plan.agents().getFirst().id());
        assertEquals(2, plan.agents().getFirst().maxConcurrent());
        TaskSpec fetch = plan.tasks().get(0);
        assertEquals("Fetch sources", fetch.title());
        assertEquals(Optional.of("git pull"), fetch.command());
        assertEquals(5, fetch.priority());
        assertEquals(Optional.of("sh1"), fetch.agent());
        assertTrue(fetch.pinned() && fetch.critical());
        assertEquals(Optional.of("src"), fetch.context().workingDir());
        assertTrue(fetch.context().worktree());
        assertEquals(Map.of("K", "V", "N", "3"), fetch.context().env());
        assertEquals(List.of("npm ci"), fetch.context().setup());
        assertEquals(List.of(".env"), fetch.context().copyFiles());
        assertEquals(List.of("test -f out.txt"), fetch.verify());
        assertEquals(2, fetch.maxAttempts());
        assertEquals(Optional.of(Duration.ofMinutes(10)), fetch.timeout());
        TaskSpec ask = plan.tasks().get(1);
        assertEquals("ask", ask.title());
        assertEquals(Optional.of("claude"), ask.profile());
        assertEquals(List.of("fetch"), ask.dependsOn());
        assertEquals(List.of("test -f NOTES.md"), ask.verify());
    }

    @Test
    void jsonPlanUsesTheSameSchema() {
        String json = """
                {"name": "j", "tasks": [{"id": "a", "command": "true"}, {"id": "b", "command": "true", "depends_on": ["a"]}]}
                """;
        PlanResult r = reader.parse(json, PlanReader.Format.JSON, "plan.json");

        assertTrue(r.valid(), () -> r.problems().toString());
        assertEquals(List.of("a"), r.plan().orElseThrow().tasks().get(1).dependsOn());
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() {
        List<String> p = problems("name: x\ntasks:\n  - id: a\n    command: [unclosed\n");

        assertEquals(1, p.size());
        assertTrue(p.getFirst().startsWith("plan.yaml:4:23: YAML syntax: while parsing a flow sequence"), p.getFirst());
    }

    @Test
    void jsonSyntaxErrorNamesLineAndColumn() {
        PlanResult r = reader.parse("{\"name\": \"x\",\n \"tasks\": [}\n", PlanReader.Format.JSON, "p.json");

        assertEquals(1, r.problems().size());
        assertTrue(r.problems().getFirst().toString().startsWith("p.json:2:12: JSON syntax: Unexpected close marker '}'"),
                r.problems().getFirst().toString());
    }

    @Test
    void duplicateKeyInAMappingIsASyntaxError() {
        List<String> p = problems("name: x\nname: y\ntasks: [{id: a, command: 'true'}]\n");

        assertTrue(p.getFirst().contains("Duplicate field 'name'"), p.getFirst());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPlace() {
        String yaml = """
                name: broken
                setings: {}
                tasks:
                  - id: build
                    command: make
                    depends_on: [tset]
                    agnet: shell-1
                  - id: build
                    command: make again
                  - id: deploy
                    prompt: ship it
                    agent: robot-7
                    max_attempts: 0
                    timeout: soon
                  - id: empty
                """;
        List<String> p = problems(yaml);

        assertEquals(List.of(
                "plan.yaml:2:1: setings: unknown key 'setings' in the plan (did you mean 'settings'?); allowed: agents, description, name, settings, tasks",
                "plan.yaml:7:5: tasks[0].agnet: unknown key 'agnet' in a task (did you mean 'agent'?); allowed: agent, category, command, context, critical, depends_on, description, id, max_attempts, pinned, priority, profile, prompt, timeout, title, verify, watchdog",
                "plan.yaml:8:5: tasks[1].id: duplicate task id 'build' (first used by tasks[0])",
                "plan.yaml:12:5: tasks[2].agent: task 'deploy' names unknown agent 'robot-7'; declare it under 'agents' or hire it first",
                "plan.yaml:13:5: tasks[2].max_attempts: 'max_attempts' must be at least 1, was 0",
                "plan.yaml:14:5: tasks[2].timeout: 'timeout' must be a duration such as 90s, 10m or 2h, not 'soon'",
                "plan.yaml:15:5: tasks[3]: task 'empty' needs a 'command' (for a shell agent) or a 'prompt' (for an AI agent)",
                "plan.yaml:6:5: tasks[0].depends_on: task 'build' depends on unknown task 'tset'"),
                p);
    }

    @Test
    void cyclesAreNamedTaskByTask() {
        String yaml = """
                name: loop
                tasks:
                  - { id: build, command: make, depends_on: [test] }
                  - { id: test, command: make test, depends_on: [build] }
                  - { id: lint, command: make lint }
                """;

        assertEquals(List.of("plan.yaml:3:33: tasks[0].depends_on: dependency cycle: build -> test -> build"), problems(yaml));
    }

    @Test
    void selfDependencyIsNamed() {
        List<String> p = problems("name: s\ntasks:\n  - { id: a, command: x, depends_on: [a] }\n");

        assertEquals(List.of("plan.yaml:3:26: tasks[0].depends_on: task 'a' depends on itself"), p);
    }

    @Test
    void unknownProfileListsTheKnownOnes() {
        List<String> p = problems("name: s\ntasks:\n  - { id: a, prompt: x, profile: gpt }\n");

        assertEquals(List.of("plan.yaml:3:25: tasks[0].profile: unknown profile 'gpt'; known: claude, codex, gemini, opencode, qwen, aider, ollama, shell, custom"), p);
    }

    @Test
    void emptyFileAndWrongShapesAreExplained() {
        assertEquals(List.of("plan.yaml: the plan is empty: it needs at least 'name' and 'tasks'"), problems(""));
        assertEquals(List.of("plan.yaml:1:1: a plan is a mapping with 'name', 'settings', 'agents' and 'tasks', not a list"),
                problems("- a\n- b\n"));
        assertEquals(List.of("plan.yaml:2:1: tasks: 'tasks' must be a list, not a string"), problems("name: x\ntasks: none\n"));
    }

    @Test
    void agentWithAnEmptyProfileIsReportedNotDropped() {
        List<String> p = problems("name: s\nagents:\n  - { id: sh1, profile: }\ntasks:\n  - { id: a, command: x }\n");

        assertEquals(List.of("plan.yaml:3:5: agents[0]: the agent needs a 'profile' (claude, codex, gemini, opencode, qwen, aider, ollama, shell, custom)"), p);
    }

    @Test
    void timeoutTooLongForADurationIsAProblemNotACrash() {
        List<String> p = problems("name: s\ntasks:\n  - { id: a, command: x, timeout: 99999999999999999999s }\n"
                + "  - { id: b, command: x, timeout: 9999999999999999h }\n  - { id: c, command: x, timeout: 9223372036854775807 }\n");

        assertEquals(List.of(
                "plan.yaml:3:26: tasks[0].timeout: 'timeout' is too long: 99999999999999999999s",
                "plan.yaml:4:26: tasks[1].timeout: 'timeout' is too long: 9999999999999999h",
                "plan.yaml:5:26: tasks[2].timeout: 'timeout' is too long: 9223372036854775807"), p);
    }

    @Test
    void descriptionsMustBeTextEvenWhenAPromptIsGiven() {
        List<String> p = problems("name: s\ndescription: [a, b]\ntasks:\n  - { id: a, prompt: x, description: { k: v } }\n");

        assertEquals(List.of(
                "plan.yaml:2:1: description: 'description' must be a string, not a list",
                "plan.yaml:4:25: tasks[0].description: 'description' must be a string, not a mapping"), p);
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        PlanResult r = reader.read(dir.resolve("nope.yaml"));

        assertEquals(dir.resolve("nope.yaml") + ": no such file", r.problems().getFirst().toString());
    }

    @Test
    void fileFormatFollowsTheExtension(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("p.json");
        Files.writeString(json, "{\"name\": \"j\", \"tasks\": [{\"id\": \"a\", \"command\": \"true\"}]}");

        assertTrue(reader.read(json).valid());
    }

    @Test
    void aYamlAliasIsRefusedAtItsLineInsteadOfRunningTheAnchorsName() {
        List<String> problems = problems("""
                name: aliases
                tasks:
                  - { id: one, command: &cmd "echo one" }
                  - { id: two, command: *cmd }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.contains(":4:") && p.contains("YAML aliases (*cmd) are not supported")), problems::toString);
    }

    @Test
    void aSecondDocumentInTheFileIsAnErrorNotIgnored() {
        List<String> problems = problems("""
                name: first
                tasks:
                  - { id: a, command: "echo a" }
                ---
                name: second
                tasks:
                  - { id: b, command: "rm -rf build" }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.contains(":5:") && p.contains("one document")), problems::toString);
    }

    @Test
    void anIdWrittenAsANumberKeepsTheTextItWasWrittenAs() {
        PlanResult r = reader.parse("""
                name: numbers
                tasks:
                  - { id: 1e3, command: "echo a" }
                  - { id: 007, command: "echo b", depends_on: [1e3] }
                  - { id: "x", command: "echo c", depends_on: 007 }
                """, PlanReader.Format.YAML, "plan.yaml");
        assertTrue(r.valid(), () -> r.problems().toString());
        List<TaskSpec> tasks = r.plan().orElseThrow().tasks();
        assertEquals(List.of("1e3", "007", "x"), tasks.stream().map(TaskSpec::key).toList());
        assertEquals(List.of("1e3"), tasks.get(1).dependsOn());
        assertEquals(List.of("007"), tasks.get(2).dependsOn());
    }

    @Test
    void aDependencyCycleIsNamedEvenWhenAnUnknownDependencyIsInTheSamePlan() {
        List<String> problems = problems("""
                name: both
                tasks:
                  - { id: a, command: "echo a", depends_on: [b] }
                  - { id: b, command: "echo b", depends_on: [a] }
                  - { id: c, command: "echo c", depends_on: [nowhere] }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.contains("unknown task 'nowhere'")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("dependency cycle: a -> b -> a")), problems::toString);
    }

    @Test
    void gitAndPathInputsThatWouldEscapeOrBeReadAsOptionsAreRefusedNamingTheKey() {
        List<String> problems = problems("""
                name: hostile
                tasks:
                  - { id: a, command: "true", context: { worktree: true, branch: "--orphan=evil" } }
                  - { id: b, command: "true", context: { worktree: true, working_dir: ../../.. } }
                  - { id: c, command: "true", context: { worktree: true, copy_files: ["../secrets.env", "/etc/passwd"] } }
                  - { id: d..e, command: "true" }
                  - { id: x.lock, command: "true" }
                  - { id: ok., command: "true" }
                  - { id: f, command: "true", context: { branch: "feature/a b" } }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.contains(":3:") && p.contains("branch '--orphan=evil' starts with '-'")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains(":4:") && p.contains("working_dir '../../..' climbs out")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("'../secrets.env' climbs out")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("'/etc/passwd' is an absolute path")), problems::toString);
        for (String id : List.of("d..e", "x.lock", "ok.")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains("task id '" + id + "' names the task's git branch")), problems::toString);
        }
        assertTrue(problems.stream().anyMatch(p -> p.contains(":9:") && p.contains("branch 'feature/a b' holds a space")), problems::toString);
    }

    @Test
    void aValueOfManyMegabytesIsRefusedAtOnceNamingItsLine() {
        String yaml = "name: huge\ntasks:\n  - { id: a, command: \"" + "x".repeat(16 << 20) + "\" }\n";
        long start = System.nanoTime();
        PlanResult r = reader.parse(yaml, PlanReader.Format.YAML, "plan.yaml");
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertFalse(r.valid());
        assertTrue(r.problems().getFirst().toString().contains("line 3 is 16.0 MB long"), r.problems().toString());
        assertTrue(ms < 2_000, "refused in " + ms + " ms");
    }

    @Test
    void aJsonStringOfManyMegabytesIsRefusedAtOnce() {
        String json = "{\"name\":\"huge\",\"tasks\":[{\"id\":\"a\",\"command\":\"" + "x".repeat(16 << 20) + "\"}]}";
        long start = System.nanoTime();
        PlanResult r = reader.parse(json, PlanReader.Format.JSON, "plan.json");
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertFalse(r.valid());
        assertTrue(r.problems().getFirst().toString().contains("JSON syntax"), r.problems().toString());
        assertTrue(r.problems().getFirst().toString().contains("String value length"), r.problems().toString());
        assertTrue(ms < 2_000, "refused in " + ms + " ms");
    }

    @Test
    void aPlanFileOverTheLimitIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.json");
        try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(PlanReader.MAX_PLAN_BYTES + 1);
        }
        PlanResult r = reader.read(file);
        assertFalse(r.valid());
        assertTrue(r.problems().getFirst().toString().contains("the plan file is 64.0 MB; a plan file may be at most 64.0 MB"),
                r.problems().toString());
    }

    @Test
    void aHundredThousandTaskPlanIsRead() {
        StringBuilder json = new StringBuilder("{\"name\":\"big\",\"tasks\":[");
        for (int i = 0; i < 100_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"command\":\"true\"")
                    .append(i == 0 ? "" : ",\"depends_on\":[\"t" + (i / 2) + "\"]").append('}');
        }
        json.append("]}");
        PlanResult r = reader.parse(json.toString(), PlanReader.Format.JSON, "big.json");
        assertTrue(r.valid(), () -> r.problems().subList(0, Math.min(5, r.problems().size())).toString());
        assertEquals(100_000, r.plan().orElseThrow().tasks().size());
    }
}
