package dev.controlroom.plan;

import java.util.Optional;

/**
 * One thing wrong with a plan file: where (line and column when known, and the path of the
 * offending key) and what.
 */
public record PlanProblem(String source, Optional<Integer> line, Optional<Integer> column, String path, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        line.ifPresent(l -> sb.append(':').append(l));
        column.ifPresent(c -> sb.append(':').append(c));
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
