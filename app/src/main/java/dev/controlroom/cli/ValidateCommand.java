package dev.controlroom.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.plan.PlanProblem;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.plan.PlanResult;
import dev.controlroom.store.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code control-room validate PLAN...}: reads plan files as an import would and reports, without
 * running or importing anything, each file's tasks and waves or every problem in it.
 */
@Command(name = "validate", sortOptions = false,
        description = {"Check plan files without running or importing them.",
                "",
                "Reads each PLAN (JSON when its name ends in .json, YAML otherwise) and prints its tasks and waves, "
                        + "or every problem in it with its line and column.",
                "",
                "A task's 'agent' must be declared under the plan's 'agents' or be on the roster. The roster is known "
                        + "only with --db: without it, a task naming an agent that the plan does not declare is "
                        + "reported as naming an unknown agent.",
                "",
                "Imports nothing and creates no database. The database of --db is only read (one written by an "
                        + "older version of Control Room is first upgraded, as on any start)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every plan is valid", "1:at least one plan has problems",
                "2:wrong usage, or no database file at --db", "3:the database cannot be read"})
public final class ValidateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "PLAN", arity = "1..*", description = "The plan files to check.")
    List<Path> plans;

    @Option(names = "--db", paramLabel = "FILE",
            description = "An existing database whose roster (hired and fired agents) tasks may name. "
                    + "The launcher's own --db, given before 'validate', counts too.")
    Optional<Path> database = Optional.empty();

    @Option(names = "--json", description = "Print one JSON object per plan on stdout, problems included, instead of text.")
    boolean json;

    // Not mixinStandardHelpOptions: its --version would print nothing here; the launcher's prints the version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PlanReader reader = new PlanReader(roster());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        for (Path plan : plans) {
            Verdict verdict = Verdict.of(plan, reader.read(plan));
            allValid &= verdict.valid();
            if (json) {
                out.println(verdict.json());
            } else {
                verdict.print(out, err);
            }
        }
        out.flush();
        err.flush();
        return allValid ? 0 : 1;
    }

    /** The names tasks may give in 'agent' besides the plan's own agents. */
    private Set<String> roster() {
        Optional<Path> file = database.or(this::rootDatabase);
        if (file.isEmpty()) {
            return Set.of();
        }
        // Store.open would create a missing file: a mistyped path must be an error, not a new empty roster.
        if (!Files.isRegularFile(file.get())) {
            throw new ParameterException(spec.commandLine(), "no database file at " + file.get());
        }
        try (Store store = Store.open(file.get(), Clock.systemUTC())) {
            return store.agents().listAll().stream().map(Agent::name).collect(Collectors.toUnmodifiableSet());
        }
    }

    /** {@code control-room --db FILE validate ...} means the same database as {@code validate --db FILE}. */
    private Optional<Path> rootDatabase() {
        CommandLine root = spec.root().commandLine();
        if (root == spec.commandLine() || root.getParseResult() == null || !root.getParseResult().hasMatchedOption("--db")) {
            return Optional.empty();
        }
        return Optional.ofNullable(root.getParseResult().matchedOptionValue("--db", null));
    }

    /** What was found in one file: the plan's shape when it is valid, its problems otherwise. */
    record Verdict(Path file, PlanResult result, Optional<List<Integer>> waves) {

        static Verdict of(Path file, PlanResult result) {
            return new Verdict(file, result, result.plan().map(Verdict::waveSizes));
        }

        private static List<Integer> waveSizes(PlanSpec plan) {
            Map<String, List<String>> dependsOn = new LinkedHashMap<>();
            for (TaskSpec t : plan.tasks()) {
                dependsOn.put(t.key(), t.dependsOn());
            }
            return Dag.of(dependsOn).levels().stream().map(List::size).toList();
        }

        boolean valid() {
            return result.valid();
        }

        void print(PrintWriter out, PrintWriter err) {
            if (result.plan().isPresent()) {
                int tasks = result.plan().get().tasks().size();
                List<Integer> sizes = waves.orElseThrow();
                out.println(file + ": valid — " + count(tasks, "task") + " in " + count(sizes.size(), "wave") + " ("
                        + sizes.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
            } else {
                result.problems().forEach(err::println);
                err.println(file + ": " + count(result.problems().size(), "problem"));
            }
        }

        String json() {
            ObjectNode o = JSON.createObjectNode();
            o.put("file", file.toString());
            o.put("valid", valid());
            // Unknown for an invalid plan: null rather than a count that looks like a fact.
            result.plan().ifPresentOrElse(p -> o.put("tasks", p.tasks().size()), () -> o.putNull("tasks"));
            waves.ifPresentOrElse(sizes -> {
                ArrayNode array = o.putArray("waves");
                sizes.forEach(array::add);
            }, () -> o.putNull("waves"));
            ArrayNode problems = o.putArray("problems");
            for (PlanProblem p : result.problems()) {
                ObjectNode problem = problems.addObject();
                p.line().ifPresentOrElse(l -> problem.put("line", l), () -> problem.putNull("line"));
                p.column().ifPresentOrElse(c -> problem.put("column", c), () -> problem.putNull("column"));
                problem.put("path", p.path());
                problem.put("message", p.message());
            }
            try {
                return JSON.writeValueAsString(o);
            } catch (JsonProcessingException e) {
                // A tree of strings and numbers always serialises; reaching this is a bug here.
                throw new IllegalStateException("cannot write the verdict on " + file + " as JSON", e);
            }
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }
}
