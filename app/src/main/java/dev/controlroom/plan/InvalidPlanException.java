package dev.controlroom.plan;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown where a caller insists on a valid plan; the message lists every problem, one per line. */
public final class InvalidPlanException extends RuntimeException {
    private final transient List<PlanProblem> problems;

    public InvalidPlanException(List<PlanProblem> problems) {
        super(problems.stream().map(PlanProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<PlanProblem> problems() {
        return problems;
    }
}
