package dev.controlroom.store;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.EVENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventStoreTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = StoreTestSupport.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appendedEventsComeBackInOrderWithIdTimeAndContext() {
        Event first = store.events().append(Event.draft(EventType.WAVE_STARTED, Severity.INFO, "wave 0 started").withRun("r1"));
        Event second = store.events().append(Event.draft(EventType.TASK_FAILED, Severity.ERROR, "build failed").withRun("r1")
                .withTask(7).withSession("s1").withPayload("{\"exit\":2}"));

        assertTrue(second.id() > first.id());
        assertEquals(StoreTestSupport.FIXED.instant(), first.at());
        List<Event> after = store.events().after(0, 10);
        assertEquals(List.of(first, second), after);
        assertEquals(Optional.of(7L), after.get(1).taskId());
        assertEquals("{\"exit\":2}", after.get(1).payload());
        assertEquals(List.of(second, first), store.events().latest(10));
    }

    @Test
    void storedEventsCannotBeRewritten() {
        store.events().append(Event.draft(EventType.MESSAGE, Severity.INFO, "original"));

        StoreException e = assertThrows(StoreException.class, () -> store.database().write(dsl ->
                dsl.update(EVENTS).set(EVENTS.MESSAGE, "changed").execute()));
        assertTrue(e.getMessage().contains("events are append-only"), e.getMessage());
        assertEquals("original", store.events().latest(1).getFirst().message());
    }
}
