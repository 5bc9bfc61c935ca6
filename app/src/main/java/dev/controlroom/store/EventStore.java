package dev.controlroom.store;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.EVENTS;

/** The append-only event log. Nothing here updates or deletes an event. */
public final class EventStore {
    private final Database db;
    private final Clock clock;

    EventStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Stores the event and returns it with its id and time. */
    public Event append(Event event) {
        return db.write(dsl -> append(dsl, event, clock.millis()));
    }

    /** Stores many events in one transaction (extracted events arrive in bursts). */
    public void appendAll(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        long now = clock.millis();
        db.write(dsl -> {
            for (Event e : events) {
                append(dsl, e, now);
            }
            return null;
        });
    }

    /** Appends inside a caller's transaction, so a state change and its event commit together. */
    public static Event append(DSLContext dsl, Event e, long now) {
        long id = dsl.insertInto(EVENTS)
                .set(EVENTS.AT, now)
                .set(EVENTS.TYPE, e.type().id())
                .set(EVENTS.SEVERITY, e.severity().id())
                .set(EVENTS.RUN_ID, e.runId().orElse(null))
                .set(EVENTS.TASK_ID, e.taskId().orElse(null))
                .set(EVENTS.AGENT_ID, e.agentId().orElse(null))
                .set(EVENTS.SESSION_ID, e.sessionId().orElse(null))
                .set(EVENTS.MESSAGE, e.message())
                .set(EVENTS.PAYLOAD, e.payload())
                .returning(EVENTS.ID).fetchSingle(EVENTS.ID);
        return new Event(id, Instant.ofEpochMilli(now), e.type(), e.severity(), e.runId(), e.taskId(), e.agentId(),
                e.sessionId(), e.message(), e.payload());
    }

    /** The newest events, newest first. */
    public List<Event> latest(int limit) {
        return db.read(dsl -> dsl.selectFrom(EVENTS).orderBy(EVENTS.ID.desc()).limit(limit).fetch(EventStore::toEvent));
    }

    /** Events after {@code afterId}, oldest first: how a reader follows the log. */
    public List<Event> after(long afterId, int limit) {
        return db.read(dsl -> dsl.selectFrom(EVENTS).where(EVENTS.ID.gt(afterId)).orderBy(EVENTS.ID).limit(limit)
                .fetch(EventStore::toEvent));
    }

    /**
     * What a reader of the log wants to see; every part is optional and they all apply together.
     *
     * @param minSeverity the least severe events shown
     * @param sessionText part of a session id
     * @param text        part of the message, case-insensitive
     */
    public record Filter(Optional<String> type, Optional<Long> agentId, Optional<String> sessionText, Severity minSeverity,
                         Optional<Instant> since, Optional<String> text, Optional<Long> taskId) {
        public static final Filter ALL = new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Severity.DEBUG,
                Optional.empty(), Optional.empty(), Optional.empty());

        public Filter {
            type = type.filter(t -> !t.isBlank());
            sessionText = sessionText.map(String::strip).filter(t -> !t.isEmpty());
            text = text.map(String::strip).filter(t -> !t.isEmpty());
        }

        private org.jooq.Condition condition() {
            org.jooq.Condition c = DSL.noCondition();
            if (type.isPresent()) {
                c = c.and(EVENTS.TYPE.eq(type.get()));
            }
            if (agentId.isPresent()) {
                c = c.and(EVENTS.AGENT_ID.eq(agentId.get()));
            }
            if (taskId.isPresent()) {
                c = c.and(EVENTS.TASK_ID.eq(taskId.get()));
            }
            if (sessionText.isPresent()) {
                c = c.and(EVENTS.SESSION_ID.contains(sessionText.get()));
            }
            if (minSeverity != Severity.DEBUG) {
                c = c.and(EVENTS.SEVERITY.in(Arrays.stream(Severity.values()).filter(s -> s.compareTo(minSeverity) >= 0)
                        .map(Severity::id).toList()));
            }
            if (since.isPresent()) {
                c = c.and(EVENTS.AT.ge(since.get().toEpochMilli()));
            }
            if (text.isPresent()) {
                c = c.and(EVENTS.MESSAGE.containsIgnoreCase(text.get()));
            }
            return c;
        }
    }

    /** The newest events that pass the filter, newest first, with how many pass in all. */
    public record Page(List<Event> events, int total) {
    }

    public Page find(Filter filter, int limit) {
        return db.read(dsl -> {
            var condition = filter.condition();
            List<Event> events = dsl.selectFrom(EVENTS).where(condition).orderBy(EVENTS.ID.desc()).limit(limit)
                    .fetch(EventStore::toEvent);
            int total = events.size() < limit ? events.size() : dsl.fetchCount(EVENTS, condition);
            return new Page(events, total);
        });
    }

    /** Every event type in the log, in alphabetical order: the choices of a type filter. */
    public List<String> types() {
        return db.read(dsl -> dsl.selectDistinct(EVENTS.TYPE).from(EVENTS).orderBy(EVENTS.TYPE).fetch(EVENTS.TYPE));

    }

    /** A session's events of the given types, oldest first, at most the newest {@code limit}. */
    public List<Event> ofSession(String sessionId, java.util.Collection<EventType> types, int limit) {
        List<Event> newest = db.read(dsl -> dsl.selectFrom(EVENTS).where(EVENTS.SESSION_ID.eq(sessionId), EVENTS.TYPE.in(types.stream().map(EventType::id).toList()))
                .orderBy(EVENTS.ID.desc()).limit(limit).fetch(EventStore::toEvent));
        return newest.reversed();
    }

    private static Event toEvent(dev.controlroom.store.schema.tables.records.EventsRecord r) {
        return new Event(r.getId(), Instant.ofEpochMilli(r.getAt()), EventType.fromId(r.getType()), Severity.fromId(r.getSeverity()),
                Optional.ofNullable(r.getRunId()), Optional.ofNullable(r.getTaskId()),
                Optional.ofNullable(r.getAgentId()), Optional.ofNullable(r.getSessionId()),
                r.getMessage(), r.getPayload());
    }
}
