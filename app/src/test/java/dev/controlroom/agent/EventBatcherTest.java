package dev.controlroom.agent;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.store.StoreException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventBatcherTest {

    @Test
    void eventsRefusedByAFullDiskAreKeptAndStoredInOrderOnceTheDiskHasRoom() {
        List<Event> stored = new ArrayList<>();
        AtomicBoolean full = new AtomicBoolean(true);
        ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor();
        try (EventBatcher batcher = new EventBatcher(events -> {
            if (full.get()) {
                throw new StoreException("database full", new SQLiteException("disk full", SQLiteErrorCode.SQLITE_FULL));
            }
            stored.addAll(events);
        }, idle, 3_600_000)) {
            batcher.accept(Event.draft(EventType.ERROR, Severity.ERROR, "first"));
            assertThrows(StoreException.class, batcher::flush);
            batcher.accept(Event.draft(EventType.ERROR, Severity.ERROR, "second"));
            assertThrows(StoreException.class, batcher::flush);

            full.set(false);
            batcher.flush();

            assertEquals(List.of("first", "second"), stored.stream().map(Event::message).toList(), "nothing lost, nothing twice, in order");
        } finally {
            idle.shutdownNow();
        }
    }
}
