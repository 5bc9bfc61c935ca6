package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.domain.IllegalTransitionException;
import dev.controlroom.orchestrator.ControlException;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reading what a request says (path ids, query parameters, body fields) and waiting for an engine control, each with a 400, 404 or 409 that names the problem. */
public final class Requests {
    /** An engine control is a command on the engine's loop; it answers in milliseconds unless the engine is stuck. */
    private static final long CONTROL_WAIT_SECONDS = 30;

    private Requests() {
    }

    static long pathId(Context ctx, String name) {
        String text = ctx.pathParam(name);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Problem.badField(name, name + " must be a whole number, not '" + text + "'");
        }
    }

    static Optional<String> query(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    static Optional<Long> queryLong(Context ctx, String name) {
        return query(ctx, name).map(text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw Problem.badField(name, "query parameter " + name + " must be a whole number, not '" + text + "'");
            }
        });
    }

    /** A bounded count ({@code limit}, {@code offset}) with its default. */
    static int queryInt(Context ctx, String name, int fallback, int min, int max) {
        long value = queryLong(ctx, name).orElse((long) fallback);
        if (value < min || value > max) {
            throw Problem.badField(name, "query parameter " + name + " must be between " + min + " and " + max + ", was " + value);
        }
        return (int) value;
    }

    public static Optional<String> text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw Problem.badField(field, field + " must be a string, not " + kind(node));
        }
        return Optional.of(node.asText());
    }

    public static String requiredText(ObjectNode body, String field) {
        return text(body, field).filter(s -> !s.isBlank()).orElseThrow(() -> Problem.badField(field, field + " is required"));
    }

    public static Optional<Long> number(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw Problem.badField(field, field + " must be a whole number, not " + kind(node));
        }
        return Optional.of(node.asLong());
    }

    public static Optional<Boolean> bool(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw Problem.badField(field, field + " must be true or false, not " + kind(node));
        }
        return Optional.of(node.asBoolean());
    }

    /** Refuses any body member not in {@code allowed}, naming it. */
    public static void onlyFields(ObjectNode body, java.util.Set<String> allowed, String what) {
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw Problem.badField(f, "unknown field '" + f + "' in " + what + "; known: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        });
    }

    static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + (node.isValueNode() ? " " + node.asText() : "");
    }

    /**
     * Waits for an engine control. A control the present state refuses is a 409 with the engine's
     * own words (which name the state); anything else is the server's fault.
     */
    static <T> T await(CompletableFuture<T> control) {
        try {
            return control.get(CONTROL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ControlException || cause instanceof IllegalTransitionException) {
                throw Problem.conflict(cause.getMessage());
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw Problem.of(503, "Engine busy", "the engine did not answer within " + CONTROL_WAIT_SECONDS + " s; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.of(503, "Shutting down", "the server is stopping");
        }
    }
}
