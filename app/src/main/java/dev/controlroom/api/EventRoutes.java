package dev.controlroom.api;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.store.EventStore;
import dev.controlroom.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code GET /events}: the audit log, filtered in the database, newest first. */
final class EventRoutes {
    private final Store store;

    EventRoutes(Store store) {
        this.store = store;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/events", this::list);
    }

    private void list(Context ctx) {
        Optional<String> type = Requests.query(ctx, "type").map(t -> {
            if (Arrays.stream(EventType.values()).noneMatch(e -> e.id().equals(t))) {
                throw Problem.badField("type", "type must be an event type (" + Arrays.stream(EventType.values()).map(EventType::id)
                        .collect(Collectors.joining(", ")) + "), not '" + t + "'");
            }
            return t;
        });
        Severity severity = Requests.query(ctx, "severity").map(s -> Arrays.stream(Severity.values()).filter(v -> v.id().equals(s)).findFirst()
                .orElseThrow(() -> Problem.badField("severity", "severity must be one of " + Arrays.stream(Severity.values()).map(Severity::id)
                        .collect(Collectors.joining(", ")) + " (the least severe shown), not '" + s + "'"))).orElse(Severity.DEBUG);
        Optional<Instant> since = Requests.query(ctx, "since").map(s -> {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw Problem.badField("since", "since must be an ISO-8601 time such as 2026-01-31T09:00:00Z, not '" + s + "'");
            }
        });
        int limit = Requests.queryInt(ctx, "limit", 100, 1, 1000);
        EventStore.Filter filter = new EventStore.Filter(type, Requests.queryLong(ctx, "agent_id"), Requests.query(ctx, "session_id"),
                severity, since, Optional.empty(), Optional.empty());
        EventStore.Page page = store.events().find(filter, limit);
        Respond.json(ctx, Map.of("events", page.events().stream().map(Views.EventView::of).toList(), "total", page.total()));
    }
}
