package dev.controlroom.plan;

import dev.controlroom.domain.PlanSpec;

import java.util.List;
import java.util.Optional;

/** The outcome of reading a plan: the plan when it is valid, every problem found otherwise. */
public record PlanResult(Optional<PlanSpec> plan, List<PlanProblem> problems) {

    public PlanResult {
        problems = List.copyOf(problems);
        if (plan.isPresent() && !problems.isEmpty()) {
            throw new IllegalArgumentException("a plan with problems is not valid");
        }
    }

    public boolean valid() {
        return plan.isPresent();
    }

    /** The valid plan; callers check {@link #valid()} first. */
    public PlanSpec orThrow() {
        return plan.orElseThrow(() -> new InvalidPlanException(problems));
    }
}
