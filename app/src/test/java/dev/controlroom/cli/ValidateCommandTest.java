package dev.controlroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.Launcher;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.store.Store;
import dev.controlroom.store.StoreTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code control-room validate} in-process, through the launcher's own command line. */
class ValidateCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, List<String> out, List<String> err) {
    }

    private Run run(String... args) {
        CommandLine cli = Launcher.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private Run validate(String... args) {
        List<String> all = new ArrayList<>(List.of("validate"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private Path plan(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Four tasks: two without dependencies, then a chain of two. */
    private Path validPlan() throws IOException {
        return plan("release.yaml", """
                name: release
                tasks:
                  - { id: build, command: make }
                  - { id: lint, command: make lint }
                  - { id: test, command: make test, depends_on: [build] }
                  - { id: ship, command: make ship, depends_on: [test, lint] }
                """);
    }

    private Path invalidPlan() throws IOException {
        return plan("broken.yaml", """
                name: broken
                settings: { wave_mode: parallel }
                tasks:
                  - id: build
                    command: make
                    max_attempts: 0
                    depends: [lint]
                """);
    }

    @Test
    void validPlanPrintsItsTasksAndWaveSizesAndExitsZero() throws IOException {
        Path plan = validPlan();

        Run r = validate(plan.toString());

        assertEquals(List.of(plan + ": valid — 4 tasks in 3 waves (2, 1, 1)"), r.out());
        assertEquals(List.of(), r.err());
        assertEquals(0, r.exit());
    }

    @Test
    void oneTaskIsCountedInTheSingular() throws IOException {
        Path plan = plan("one.json", "{\"name\": \"one\", \"tasks\": [{\"id\": \"a\", \"command\": \"true\"}]}");

        assertEquals(List.of(plan + ": valid — 1 task in 1 wave (1)"), validate(plan.toString()).out());
    }

    @Test
    void invalidPlanPrintsEveryProblemThenTheirCountOnStderrAndExitsOne() throws IOException {
        Path plan = invalidPlan();

        Run r = validate(plan.toString());

        assertEquals(List.of(
                plan + ":2:13: settings.wave_mode: wave_mode must be 'dataflow' or 'barrier', not 'parallel'",
                plan + ":7:5: tasks[0].depends: unknown key 'depends' in a task; allowed: "
                        + "agent, category, command, context, critical, depends_on, description, id, max_attempts, "
                        + "pinned, priority, profile, prompt, timeout, title, verify, watchdog",
                plan + ":6:5: tasks[0].max_attempts: 'max_attempts' must be at least 1, was 0",
                plan + ": 3 problems"), r.err());
        assertEquals(List.of(), r.out());
        assertEquals(1, r.exit());
    }

    @Test
    void missingFileIsOneProblemNamingTheFile() {
        Path missing = dir.resolve("nope.yaml");

        Run r = validate(missing.toString());

        assertEquals(List.of(missing + ": no such file", missing + ": 1 problem"), r.err());
        assertEquals(1, r.exit());
    }

    @Test
    void everyFileIsCheckedAndOneInvalidFileMakesTheExitCodeOne() throws IOException {
        Path good = validPlan();
        Path missing = dir.resolve("nope.yaml");

        Run r = validate(missing.toString(), good.toString());

        assertEquals(List.of(good + ": valid — 4 tasks in 3 waves (2, 1, 1)"), r.out());
        assertEquals(List.of(missing + ": no such file", missing + ": 1 problem"), r.err());
        assertEquals(1, r.exit());
    }

    @Test
    void jsonPrintsOneObjectPerFileWithWavesOrProblems() throws IOException {
        Path good = validPlan();
        Path bad = invalidPlan();
        Path missing = dir.resolve("nope.yaml");
        ObjectMapper mapper = new ObjectMapper();

        Run r = validate("--json", good.toString(), bad.toString(), missing.toString());

        assertEquals(3, r.out().size(), r.out().toString());
        assertEquals(mapper.readTree("""
                {"file": "%s", "valid": true, "tasks": 4, "waves": [2, 1, 1], "problems": []}
                """.formatted(good)), mapper.readTree(r.out().get(0)));
        JsonNode broken = mapper.readTree(r.out().get(1));
        assertEquals(bad.toString(), broken.get("file").asText());
        assertFalse(broken.get("valid").asBoolean());
        assertTrue(broken.get("tasks").isNull() && broken.get("waves").isNull(), broken.toString());
        assertEquals(3, broken.get("problems").size());
        assertEquals(mapper.readTree("""
                {"line": 2, "column": 13, "path": "settings.wave_mode",
                 "message": "wave_mode must be 'dataflow' or 'barrier', not 'parallel'"}
                """), broken.get("problems").get(0));
        assertEquals(mapper.readTree("""
                {"file": "%s", "valid": false, "tasks": null, "waves": null,
                 "problems": [{"line": null, "column": null, "path": "", "message": "no such file"}]}
                """.formatted(missing)), mapper.readTree(r.out().get(2)));
        assertEquals(List.of(), r.err());
        assertEquals(1, r.exit());
    }

    @Test
    void withoutADatabaseAnAgentThePlanDoesNotDeclareIsUnknown() throws IOException {
        Path plan = plan("ask.yaml", "name: ask\ntasks:\n  - { id: a, prompt: do it, agent: claude-1 }\n");

        Run r = validate(plan.toString());

        assertEquals(List.of(plan + ":3:29: tasks[0].agent: task 'a' names unknown agent 'claude-1'; declare it under "
                + "'agents' or hire it first", plan + ": 1 problem"), r.err());
        assertEquals(1, r.exit());
    }

    @Test
    void theDatabasesRosterIsKnownAndTheDatabaseIsLeftUnchanged() throws IOException {
        Path db;
        try (Store store = StoreTestSupport.open(dir)) {
            store.agents().hire(NewAgent.of("claude-1", null, AgentProfile.CLAUDE));
            db = store.file();
        }
        byte[] before = Files.readAllBytes(db);
        Path plan = plan("ask.yaml", "name: ask\ntasks:\n  - { id: a, prompt: do it, agent: claude-1 }\n");
        Path broken = invalidPlan();

        Run r = validate("--db", db.toString(), plan.toString(), broken.toString());

        assertEquals(List.of(plan + ": valid — 1 task in 1 wave (1)"), r.out());
        assertEquals(1, r.exit());
        assertArrayEquals(before, Files.readAllBytes(db), "validate wrote to the database");
        try (Store store = StoreTestSupport.open(dir)) {
            assertEquals(List.of(), store.plans().list(), "validate imported a plan");
        }
    }

    @Test
    void theLaunchersDatabaseOptionGivesTheRosterToo() throws IOException {
        Path db;
        try (Store store = StoreTestSupport.open(dir)) {
            store.agents().hire(NewAgent.of("claude-1", null, AgentProfile.CLAUDE));
            db = store.file();
        }
        Path plan = plan("ask.yaml", "name: ask\ntasks:\n  - { id: a, prompt: do it, agent: claude-1 }\n");

        Run r = run("--db", db.toString(), "validate", plan.toString());

        assertEquals(List.of(plan + ": valid — 1 task in 1 wave (1)"), r.out());
        assertEquals(0, r.exit());
    }

    @Test
    void aDatabaseFileThatDoesNotExistIsAUsageErrorAndIsNotCreated() throws IOException {
        Path db = dir.resolve("missing.db");

        Run r = validate("--db", db.toString(), validPlan().toString());

        assertEquals(2, r.exit());
        assertEquals("no database file at " + db, r.err().getFirst());
        assertFalse(Files.exists(db));
        assertEquals(List.of(), r.out());
    }

    @Test
    void aDatabaseThatCannotBeReadIsNamedWithExitCodeThreeAndLeftAsItWas() throws IOException {
        Path db = Files.writeString(dir.resolve("bad.db"), "not a database");

        Run r = validate("--db", db.toString(), validPlan().toString());

        assertEquals(3, r.exit());
        assertTrue(r.err().getFirst().startsWith("error: cannot migrate the database " + db), r.err().toString());
        assertEquals("not a database", Files.readString(db));
    }

    @Test
    void withoutAPlanItIsAUsageError() {
        Run r = validate();

        assertEquals(2, r.exit());
        assertTrue(r.err().getFirst().startsWith("Missing required parameter: 'PLAN"), r.err().toString());
    }

    @Test
    void helpExplainsTheRosterAndTheExitCodes() {
        Run r = validate("--help");

        String help = String.join(" ", r.out()).replaceAll("\\s+", " ");
        assertEquals(0, r.exit());
        assertTrue(help.contains("The roster is known only with --db: without it, a task naming an agent that the plan "
                + "does not declare is reported as naming an unknown agent."), help);
        assertTrue(help.contains("1 at least one plan has problems"), help);
        assertTrue(help.contains("Imports nothing and creates no database."), help);
    }
}
