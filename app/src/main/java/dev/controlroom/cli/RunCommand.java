package dev.controlroom.cli;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.Logging;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.plan.PlanProblem;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.plan.PlanResult;
import dev.controlroom.store.PlanStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code run PLAN}: import a plan file and run it to the end, headless. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Import a plan file (YAML or JSON) and run it to the end.%n"
                + "Progress goes to stderr, the summary to stdout.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every task succeeded (or was skipped)", "1:a task failed, was blocked or cancelled",
                "2:invalid plan or usage", "3:the database could not be opened"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path plan;

    @Mixin
    DatabaseOption db = new DatabaseOption();

    @Option(names = "--concurrency", paramLabel = "N", description = "At most N tasks at once (default: the plan's, else 4).")
    Integer concurrency;

    @Option(names = "--wave-mode", paramLabel = "MODE", description = "dataflow (a task starts when its own dependencies are done) "
            + "or barrier (a wave starts when the previous one is finished); default: the plan's.")
    String waveMode;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (concurrency != null && concurrency < 1) {
            err.println("error: --concurrency must be at least 1, was " + concurrency);
            return 2;
        }
        if (waveMode != null && WaveMode.fromId(waveMode).isEmpty()) {
            err.println("error: --wave-mode must be dataflow or barrier, not '" + waveMode + "'");
            return 2;
        }
        if (!java.nio.file.Files.exists(db.database())) {
            // Nothing is created for a plan that cannot run: it is checked against the roster a new database would get.
            PlanResult check = new PlanReader(dev.controlroom.app.FirstStart.firstRoster(dev.controlroom.agent.CliDetector.fromEnvironment()))
                    .read(plan);
            if (!check.valid()) {
                check.problems().stream().map(PlanProblem::toString).forEach(err::println);
                err.println(plan + ": " + check.problems().size() + " problem(s); nothing was stored (no database was created at "
                        + db.database() + ")");
                err.flush();
                return 2;
            }
        }
        Logging.configure(db.logFolder(), db.verbose);
        boolean someoneToAsk = Progress.isInteractive();
        ControlRoom opened;
        try {
            opened = ControlRoom.open(db.database(), c -> c.withNobodyToAsk(!someoneToAsk)).closeOnShutdown();
        } catch (dev.controlroom.store.DatabaseInUseException busy) {
            return throughRunningEngine(busy, out, err);
        }
        try (ControlRoom room = opened) {
            Set<String> roster = room.store().agents().listAll().stream().map(Agent::name).collect(Collectors.toSet());
            PlanResult result = new PlanReader(roster).read(plan);
            if (!result.valid()) {
                result.problems().stream().map(PlanProblem::toString).forEach(err::println);
                err.println(plan + ": " + result.problems().size() + " problem(s); nothing was stored");
                err.flush();
                return 2;
            }
            PlanSpec spec = result.orThrow();
            String path = plan.toAbsolutePath().toString();
            String text = Files.readString(plan);
            // The same file, unchanged, is the same task list: its runs stay together.
            PlanSummary imported = room.store().plans().findImported(path, text, spec)
                    .orElseGet(() -> room.store().plans().importPlan(spec, PlanStore.Source.of(path, PlanReader.Format.of(plan).id(), text)));
            room.orchestrator().rosterChanged();
            RunOptions options = new RunOptions(concurrency != null ? concurrency : spec.concurrency().orElse(4),
                    waveMode != null ? WaveMode.fromId(waveMode).orElseThrow() : spec.waveMode(), "cli");
            Progress progress = RunWatch.progressFor(room, imported.id(), err);
            room.orchestrator().addListener(progress);
            if (someoneToAsk) {
                java.util.Map<Long, String> keys = new java.util.HashMap<>();
                room.store().plans().tasksOf(imported.id()).forEach(t -> keys.put(t.id(), t.key()));
                room.orchestrator().addListener(new Questions(room.orchestrator(), System.console(), keys));
            }
            String runId = room.orchestrator().start(imported.id(), options).get();
            err.println("run " + runId + ": " + spec.tasks().size() + " tasks of '" + spec.name() + "', concurrency "
                    + options.concurrency() + ", " + options.waveMode().id() + " mode (database " + room.store().file() + ")");
            err.flush();
            return RunWatch.follow(room, runId, out, err, json, progress);
        }
    }

    /**
     * Another process (the window, {@code serve}) runs the engine on this database: the plan and
     * the run go to it through its local API, and this command follows the run by reading the
     * database, with the same progress, summary and exit codes.
     */
    private int throughRunningEngine(dev.controlroom.store.DatabaseInUseException busy, PrintWriter out, PrintWriter err) throws Exception {
        try (dev.controlroom.store.Store store = ControlRoom.openStore(db.database())) {
            java.util.Optional<EngineClient> found = EngineClient.find(store);
            if (found.isEmpty()) {
                err.println("error: " + busy.getMessage() + " (it serves no local API to pass the run to)");
                err.flush();
                return 3;
            }
            EngineClient engine = found.get();
            err.println("Control Room process " + busy.pid() + " runs this database: the run goes to its engine (" + engine.address() + ")");
            EngineClient.Answer imported = engine.importPlan(plan, Files.readString(plan));
            if (imported.status() == 400 && imported.body().has("problems")) {
                for (com.fasterxml.jackson.databind.JsonNode p : imported.body().path("problems")) {
                    err.println(plan + (p.hasNonNull("line") ? ":" + p.path("line").asInt() + (p.hasNonNull("column") ? ":" + p.path("column").asInt() : "") : "")
                            + ": " + (p.path("path").asText().isEmpty() ? "" : p.path("path").asText() + ": ") + p.path("message").asText());
                }
                err.println(plan + ": " + imported.body().path("problems").size() + " problem(s); nothing was stored");
                err.flush();
                return 2;
            }
            if (!imported.ok()) {
                err.println("error: the engine refused the plan: " + imported.detail());
                err.flush();
                return 3;
            }
            long listId = imported.body().path("id").asLong();
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("task_list_id", listId);
            if (concurrency != null) {
                body.put("concurrency", concurrency);
            }
            if (waveMode != null) {
                body.put("wave_mode", waveMode);
            }
            long before = RunWatch.newestEvent(store);
            EngineClient.Answer started = engine.post("/api/runs", body);
            if (!started.ok()) {
                err.println("error: the engine did not start the run: " + started.detail());
                err.flush();
                return started.status() == 400 ? 2 : 3;
            }
            String runId = started.body().path("id").asText();
            err.println("run " + runId + ": " + imported.body().path("task_count").asInt() + " tasks of '" + imported.body().path("name").asText()
                    + "', concurrency " + started.body().path("concurrency").asInt() + ", " + started.body().path("wave_mode").asText()
                    + " mode (database " + store.file() + ")");
            err.flush();
            return RunWatch.followStored(store, runId, listId, before, out, err, json);
        }
    }
}
