package dev.controlroom.api;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.plan.PlanProblem;
import dev.controlroom.plan.PlanReader;
import dev.controlroom.plan.PlanResult;
import dev.controlroom.store.PlanStore;
import dev.controlroom.store.Store;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every door does with plan files: read one (YAML or JSON text) by the same reader as a file
 * and the command line, and import it as a task list. An invalid plan stores nothing and is refused
 * with every problem, each with its line and column.
 */
public final class PlanService {
    private final Store store;

    public PlanService(Store store) {
        this.store = store;
    }

    /** One problem of a plan: where (line, column, the key's path) and what. */
    public record ProblemView(Optional<Integer> line, Optional<Integer> column, String path, String message) {
        static ProblemView of(PlanProblem p) {
            return new ProblemView(p.line(), p.column(), p.path(), p.message());
        }
    }

    /** {@code field} names where the text came from (the body of a request, a tool's argument) in refusals. */
    public PlanResult read(String text, PlanReader.Format format, String field) {
        return read(text, format, field, Optional.empty());
    }

    /** As {@link #read(String, PlanReader.Format, String)}; problems name {@code source}, the file the text came from, when given. */
    public PlanResult read(String text, PlanReader.Format format, String field, Optional<String> source) {
        if (text.isBlank()) {
            throw Problem.badField(field, "a plan (YAML, or JSON) is needed, and " + field + " is empty");
        }
        Set<String> roster = store.agents().listAll().stream().map(Agent::name).collect(Collectors.toSet());
        return new PlanReader(roster).parse(text, format, source.orElse(field));
    }

    public static List<ProblemView> problems(PlanResult result) {
        return result.problems().stream().map(ProblemView::of).toList();
    }

    /** Stores the plan as a new task list; a 400 with every problem, and nothing stored, when it does not validate. */
    public Views.TaskListView importPlan(String text, PlanReader.Format format, String field) {
        return importPlan(text, format, field, Optional.empty());
    }

    /**
     * As {@link #importPlan(String, PlanReader.Format, String)} for the text of a plan file named by its
     * absolute path: relative paths in it resolve beside it, and the same unchanged file is the same task list.
     */
    public Views.TaskListView importPlan(String text, PlanReader.Format format, String field, Optional<String> source) {
        PlanResult result = read(text, format, field, source);
        if (!result.valid()) {
            throw Problem.invalidPlan(result.problems().size() + " problem(s); nothing was stored: "
                    + result.problems().stream().map(PlanProblem::toString).collect(Collectors.joining("; ")),
                    Optional.of(field), problems(result));
        }
        PlanSpec spec = result.orThrow();
        PlanSummary stored = source.flatMap(path -> store.plans().findImported(path, text, spec))
                .orElseGet(() -> store.plans().importPlan(spec, new PlanStore.Source(source, format.id(), Optional.of(text))));
        return Views.TaskListView.of(stored);
    }
}
