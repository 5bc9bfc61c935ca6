package dev.controlroom.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the append-only event log: what happened, when, to which run, task, agent or
 * session. {@code payload} is a JSON object with the type's own details.
 */
public record Event(long id, Instant at, EventType type, Severity severity, Optional<String> runId,
                    Optional<Long> taskId, Optional<Long> agentId, Optional<String> sessionId, String message,
                    String payload) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        payload = payload == null || payload.isBlank() ? "{}" : payload;
    }

    /** An event not yet stored: it gets its id and time when appended. */
    public static Event draft(EventType type, Severity severity, String message) {
        return new Event(0, Instant.EPOCH, type, severity, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), message, "{}");
    }

    public Event withRun(String run) {
        return new Event(id, at, type, severity, Optional.of(run), taskId, agentId, sessionId, message, payload);
    }

    public Event withTask(long task) {
        return new Event(id, at, type, severity, runId, Optional.of(task), agentId, sessionId, message, payload);
    }

    public Event withAgent(long agent) {
        return new Event(id, at, type, severity, runId, taskId, Optional.of(agent), sessionId, message, payload);
    }

    public Event withSession(String session) {
        return new Event(id, at, type, severity, runId, taskId, agentId, Optional.of(session), message, payload);
    }

    /** The payload as JSON already written (by Jackson) elsewhere. */
    public Event withPayload(String json) {
        return new Event(id, at, type, severity, runId, taskId, agentId, sessionId, message, json);
    }

    /** The payload from its fields, written by Jackson (strings escaped, numbers and booleans as such). */
    public Event withPayload(Map<String, ?> fields) {
        try {
            return withPayload(JSON.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an event payload could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
