package dev.controlroom.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request the API refuses, answered as an RFC 9457 problem ({@code application/problem+json}):
 * the status, a short title, a detail that names what is wrong and, for bad input, the field.
 *
 * @param extra further members of the problem body (the problems of a plan file)
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String title;
    private final Optional<String> field;
    private final Map<String, List<?>> extra;

    private Problem(int status, String title, String detail, Optional<String> field, Map<String, List<?>> extra) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.extra = Map.copyOf(extra);
    }

    public static Problem badField(String field, String detail) {
        return new Problem(400, "Bad request", detail, Optional.of(field), Map.of());
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad request", detail, Optional.empty(), Map.of());
    }

    /** A plan (or task) that does not validate: every problem, each with where it is. */
    public static Problem invalidPlan(String detail, Optional<String> field, List<?> problems) {
        return new Problem(400, "Invalid plan", detail, field, Map.of("problems", problems));
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "Not found", detail, Optional.empty(), Map.of());
    }

    /** A control or edit the present state does not allow; the detail names the state. */
    public static Problem conflict(String detail) {
        return new Problem(409, "Conflict", detail, Optional.empty(), Map.of());
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail, Optional.empty(), Map.of());
    }

    public int status() {
        return status;
    }

    /** The problems of a plan or task that did not validate, each with where it is; empty for other refusals. */
    public List<?> problems() {
        return extra.getOrDefault("problems", List.of());
    }

    /** The problem body's members, in the order RFC 9457 lists them. */
    Body body(String instance) {
        return new Body("about:blank", title, status, getMessage(), instance, field, extra.getOrDefault("problems", List.of()));
    }

    /** The body as written; {@code problems} is left out when empty. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    record Body(String type, String title, int status, String detail, String instance, Optional<String> field, List<?> problems) {
    }
}
