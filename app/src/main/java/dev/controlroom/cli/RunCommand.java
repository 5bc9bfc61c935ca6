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
        try (ControlRoom room = ControlRoom.open(db.database(), c -> c.withNobodyToAsk(!someoneToAsk)).closeOnShutdown()) {
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
}
