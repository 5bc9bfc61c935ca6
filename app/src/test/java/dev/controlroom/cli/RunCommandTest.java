package dev.controlroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.Launcher;
import dev.controlroom.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run}, {@code status}, {@code agents} and {@code tasks} through the launcher's command line, in-process. */
class RunCommandTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result cli(String... args) {
        CommandLine cli = Launcher.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path db() {
        return dir.resolve("cr.db");
    }

    @Test
    void planWhoseTasksAllSucceedExitsZeroWithASummaryAndFilesWritten() throws Exception {
        Path plan = Files.writeString(dir.resolve("ok.yaml"), """
                name: ok
                tasks:
                  - { id: write, command: "date +%s%N > stamp.txt" }
                  - { id: check, command: "test -s stamp.txt && echo checked > checked.txt", depends_on: [write], verify: ["test -f checked.txt"] }
                """);

        Result r = cli("run", plan.toString(), "--db", db().toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(dir.resolve("checked.txt")));
        List<String> lines = r.out().strip().lines().toList();
        assertTrue(lines.getFirst().startsWith("TASK   WAVE  STATE      ATTEMPTS  AGENT    TIME"), r.out());
        assertTrue(lines.get(1).startsWith("write  0     succeeded  1/1       shell-1"), r.out());
        assertTrue(lines.get(2).startsWith("check  1     succeeded  1/1       shell-1"), r.out());
        assertTrue(lines.getLast().matches("run run-\\d{8}-\\d{6}-[0-9a-f]{4} succeeded: 2 succeeded \\(of 2\\)"), lines.getLast());
        assertTrue(r.err().contains("task check: verification passed"), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  run succeeded")), r.err());
    }

    @Test
    void failedTaskMakesTheExitCodeOneAndTheSummarySaysWhy() throws Exception {
        Path plan = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                tasks:
                  - { id: broken, command: "exit 4" }
                  - { id: after, command: "true", depends_on: [broken] }
                """);

        Result r = cli("run", plan.toString(), "--db", db().toString(), "--json");

        assertEquals(1, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("failed", json.get("state").asText());
        assertEquals("failed", json.get("tasks").get(0).get("state").asText());
        assertEquals("exited with code 4", json.get("tasks").get(0).get("reason").asText());
        assertEquals("blocked", json.get("tasks").get(1).get("state").asText());
        assertEquals("needs broken, which failed", json.get("tasks").get(1).get("reason").asText());
    }

    @Test
    void invalidPlanExitsTwoListsEveryProblemAndStoresNothing() throws Exception {
        Path plan = Files.writeString(dir.resolve("loop.yaml"), """
                name: loop
                tasks:
                  - { id: a, command: x, depends_on: [b] }
                  - { id: b, command: x, depends_on: [a] }
                  - { id: c, comand: x }
                """);

        Result r = cli("run", plan.toString(), "--db", db().toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("loop.yaml:5:14: tasks[2].comand: unknown key 'comand' in a task (did you mean 'command'?)"), r.err());
        assertTrue(r.err().contains("dependency cycle: a -> b -> a"), r.err());
        assertTrue(r.err().contains(plan + ": 3 problem(s); nothing was stored"), r.err());
        assertTrue(Files.notExists(db()), "no database was created for a plan that cannot run");
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Path plan = Files.writeString(dir.resolve("p.yaml"), "name: p\ntasks: [{id: a, command: 'true'}]\n");

        assertEquals(2, cli("run", plan.toString(), "--db", db().toString(), "--concurrency", "0").exit());
        Result mode = cli("run", plan.toString(), "--db", db().toString(), "--wave-mode", "sideways");
        assertEquals(2, mode.exit());
        assertTrue(mode.err().contains("--wave-mode must be dataflow or barrier, not 'sideways'"), mode.err());
        assertEquals(2, cli("run").exit());
    }

    @Test
    void statusListsRunsAndShowsOneRunTaskByTask() throws Exception {
        Path plan = Files.writeString(dir.resolve("p.yaml"), "name: p\ntasks: [{id: only, command: 'true'}]\n");
        cli("run", plan.toString(), "--db", db().toString());

        Result list = cli("status", "--db", db().toString());
        assertEquals(0, list.exit());
        List<String> lines = list.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("RUN"), list.out());
        String runId = lines.get(1).split("\\s+")[0];
        assertTrue(lines.get(1).contains("p     succeeded  1/1"), list.out());

        Result one = cli("status", "--db", db().toString(), "--run", runId, "--json");
        assertEquals(runId, new ObjectMapper().readTree(one.out()).get("run_id").asText());
        assertEquals(1, cli("status", "--db", db().toString(), "--run", "run-missing").exit());
    }

    @Test
    void agentsAndTasksListTheRosterAndTheTaskList() {
        Result agents = cli("agents", "--db", db().toString());
        assertEquals(0, agents.exit());
        assertTrue(agents.out().lines().anyMatch(l -> l.startsWith("shell-1") && l.contains("shell")), agents.out());

        Result tasks = cli("tasks", "--db", db().toString());
        assertEquals(0, tasks.exit());
        assertTrue(tasks.out().startsWith("sample-tour (5 tasks)"), tasks.out());
        assertTrue(tasks.out().lines().anyMatch(l -> l.startsWith("report") && l.contains("count,machine")), tasks.out());
    }

    @Test
    void pricesAreSeededAndEditable() {
        Result listed = cli("prices", "--db", db().toString());
        assertEquals(0, listed.exit());
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("claude-sonnet-4") && l.contains("3.0") && l.contains("15.0")), listed.out());

        Result set = cli("prices", "--db", db().toString(), "--set", "my-model", "2", "8");
        assertEquals(0, set.exit(), set.err());
        assertTrue(set.out().lines().anyMatch(l -> l.startsWith("my-model") && l.contains("2.0") && l.contains("8.0")), set.out());
        assertEquals(2, cli("prices", "--db", db().toString(), "--set", "x", "1").exit());
    }

    @Test
    void runningTheSameUnchangedFileAgainReusesItsTaskList() throws Exception {
        Path plan = Files.writeString(dir.resolve("again.yaml"), "name: again\ntasks: [{id: a, command: 'true'}]\n");
        cli("run", plan.toString(), "--db", db().toString());
        cli("run", plan.toString(), "--db", db().toString());
        Files.writeString(plan, "name: again\ntasks: [{id: a, command: 'true'}, {id: b, command: 'true'}]\n");
        cli("run", plan.toString(), "--db", db().toString());

        try (Store store = Store.open(db(), Clock.systemUTC())) {
            assertEquals(List.of(2, 1), store.plans().list().stream().filter(p -> p.name().equals("again")).map(p -> p.taskCount()).toList());
            assertEquals(3, store.runs().latest(10).size());
        }
    }

    @Test
    void settingsAreShownAndSetAndCapsMustBeWholeNumbers() {
        Result set = cli("settings", "--db", db().toString(), "caps.profile.claude", "2");
        assertEquals(0, set.exit(), set.err());
        assertEquals(List.of("KEY                  VALUE", "caps.profile.claude  2"), set.out().lines().toList());

        Result bad = cli("settings", "--db", db().toString(), "caps.profile.codex", "many");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("caps.profile.codex must be a whole number of at least 1, not 'many'"), bad.err());
        assertTrue(cli("settings", "--db", db().toString()).out().contains("seeded_at_version"));
    }

    @Test
    void theDatabaseGivenBeforeTheCommandIsTheOneEveryCommandUses() throws Exception {
        Path plan = Files.writeString(dir.resolve("ok.yaml"), """
                name: placed
                tasks:
                  - { id: one, command: "true" }
                """);

        Result run = cli("--db", db().toString(), "run", plan.toString());
        Result status = cli("--db", db().toString(), "status");
        Result tasks = cli("--db", db().toString(), "tasks");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("(database " + db().toAbsolutePath()) || run.err().contains("(database " + db()), run.err());
        try (Store store = Store.open(db(), Clock.systemUTC())) {
            assertEquals(1, store.runs().latest(10).size(), "the run is in the database named before the command");
        }
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("placed"), status.out());
        assertTrue(tasks.out().contains("one"), tasks.out());
    }

    @Test
    void anInvalidPlanRunOnANewDatabaseCreatesNothing() throws Exception {
        Path plan = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                tasks:
                  - { id: a, command: "true", depends_on: [missing] }
                """);

        Result r = cli("run", plan.toString(), "--db", db().toString());

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("unknown task 'missing'") && r.err().contains("nothing was stored"), r.err());
        assertTrue(Files.notExists(db()), "no database was created");
        assertTrue(Files.notExists(dir.resolve("logs")), "no log folder either");
    }

    @Test
    void statusOfARunWithAModelWithoutAPriceKeepsTheEstimateAndNamesWhatItCannotPrice() throws Exception {
        try (Store store = Store.open(db(), Clock.systemUTC())) {
            store.prices().put(new dev.controlroom.domain.Price("claude-opus-4", 15, 75, 1.5, 18.75, "USD"));
            dev.controlroom.store.TokenRuns.store(store, "r-priced", List.of(
                    dev.controlroom.store.TokenRuns.Used.of("write", "claude-opus-4-8[1m]", 100_000, 2_000),
                    dev.controlroom.store.TokenRuns.Used.of("review", "gpt-9", 12_000, 345)));
        }

        Result table = cli("status", "--run", "r-priced", "--db", db().toString());
        Result json = cli("status", "--run", "r-priced", "--json", "--db", db().toString());

        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().contains("cost ≈ $1.6500; not priced: 12,345 tokens of model gpt-9 (an estimate from the price table)"),
                table.out());
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertEquals(1.65, report.path("cost_estimate_usd").asDouble(), 1e-9);
        assertEquals(false, report.path("cost_estimate_complete").asBoolean());
        assertEquals("gpt-9", report.path("not_priced").path(0).path("model").asText());
        assertEquals(12_345, report.path("not_priced").path(0).path("tokens").asLong());
        JsonNode listed = new ObjectMapper().readTree(cli("status", "--json", "--db", db().toString()).out()).path(0);
        assertEquals(1.65, listed.path("cost_estimate_usd").asDouble(), 1e-9, "the run list says the same");
    }

    @Test
    void agentsWarnsAboutAnInstalledCliNewerThanTheNewestTested() {
        try (Store store = Store.open(db(), Clock.systemUTC())) {
            store.settings().put(dev.controlroom.agent.CliVersions.SETTING_PREFIX + "claude", "2.1.300");
            store.settings().put(dev.controlroom.agent.CliVersions.SETTING_PREFIX + "codex", "0.169.0");
        }

        Result r = cli("agents", "--db", db().toString());

        assertEquals(0, r.exit(), r.err());
        List<String> warnings = r.out().lines().filter(l -> l.startsWith("warning: ")).toList();
        assertEquals(1, warnings.size(), r.out());
        assertTrue(warnings.getFirst().startsWith("warning: claude 2.1.300 is newer than the newest version tested (2.1.197)"), r.out());
    }
}
