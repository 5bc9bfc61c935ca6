package dev.controlroom.api;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;
import dev.controlroom.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed both live doors (the SSE stream and the WebSocket) follow the log through: the engine
 * never waits on a client, a client that does not read is marked behind after exactly its queue
 * bound, and a client that reads gets every stored event once, in order, from any id.
 */
class ApiEventFeedTest {
    @TempDir
    Path dir;

    /** Stores {@code n} events the way the engine does, without announcing them; returns them. */
    private static List<Event> store(Store store, int n) {
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            stored.add(store.events().append(Event.draft(EventType.MESSAGE, Severity.INFO, "event " + i)));
        }
        return stored;
    }

    @Test
    void aClientThatDoesNotReadIsMarkedBehindAfterItsQueueBoundAndTheEngineNeverWaits() throws Exception {
        try (ControlRoom room = ControlRoom.open(dir.resolve("control-room.db"))) {
            EventFeed feed = new EventFeed(room.store(), 4);
            EventFeed.Follower idle = feed.follow(feed.latest());
            List<Event> burst = store(room.store(), 10_000);

            feed.accept(burst.subList(0, 4));
            assertFalse(idle.behind(), "four events fit a queue of four");
            long started = System.nanoTime();
            feed.accept(burst.subList(4, burst.size()));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(idle.behind(), "the fifth event finds the queue full: the client fell behind");
            assertTrue(millis < 1000, "handing 9,996 events to a client that reads nothing took " + millis + " ms: the engine never waits");

            List<Long> kept = idle.next(0).stream().map(Event::id).toList();
            assertEquals(List.of(burst.getFirst().id()), kept, "what it had queued stays in order; it is closed rather than fed more");
            idle.close();
            assertEquals(0, feed.followers());
        }
    }

    @Test
    void aWakeEndsTheWaitAtOnceAndTakesNoRoomFromEvents() throws Exception {
        try (ControlRoom room = ControlRoom.open(dir.resolve("control-room.db"))) {
            EventFeed feed = new EventFeed(room.store(), 4);
            EventFeed.Follower f = feed.follow(feed.latest());
            for (int i = 0; i < 10; i++) {
                f.wake();
            }
            List<Event> burst = store(room.store(), 5);
            feed.accept(burst.subList(0, 4));
            assertFalse(f.behind(), "ten wakes and four events fit a queue of four events");
            feed.accept(burst.subList(4, 5));
            assertTrue(f.behind());

            EventFeed.Follower early = feed.follow(feed.latest());
            early.wake();
            long before = System.nanoTime();
            assertEquals(List.of(), early.next(30_000));
            assertTrue(System.nanoTime() - before < java.util.concurrent.TimeUnit.SECONDS.toNanos(10), "a wake before the wait ends it too");

            EventFeed.Follower waiting = feed.follow(feed.latest());
            Thread waker = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                waiting.wake();
            });
            long started = System.nanoTime();
            assertEquals(List.of(), waiting.next(30_000));
            assertTrue(System.nanoTime() - started < java.util.concurrent.TimeUnit.SECONDS.toNanos(10), "the wake ended a 30 s wait");
            waker.join();
        }
    }

    @Test
    void aClientRewoundToAnIdReadsTheLogAfterItInPagesEachEventOnce() throws Exception {
        try (ControlRoom room = ControlRoom.open(dir.resolve("control-room.db"))) {
            EventFeed feed = new EventFeed(room.store(), 4);
            long start = feed.latest();
            List<Event> stored = store(room.store(), 1_200);
            List<Long> all = LongStream.rangeClosed(start + 1, stored.getLast().id()).boxed().toList();
            EventFeed.Follower replay = feed.follow(0);
            replay.rewind(start);
            List<Long> replayed = new ArrayList<>();
            drain(replay, stored.getLast().id(), replayed);
            assertEquals(all, replayed, "a client starting at an id reads the log after it, each event once, in order");
        }
    }

    @Test
    void aReadingClientGetsEventsTheQueueMissedFromTheLogInOrder() throws Exception {
        try (ControlRoom room = ControlRoom.open(dir.resolve("control-room.db"))) {
            EventFeed feed = new EventFeed(room.store(), 4);
            long start = feed.latest();
            EventFeed.Follower reader = feed.follow(start);
            List<Event> stored = store(room.store(), 30);
            List<Long> heard = new ArrayList<>();
            // only every third event is announced: the others were stored beside the engine and are read from the log
            for (int i = 0; i < stored.size(); i += 3) {
                feed.accept(List.of(stored.get(i)));
                drain(reader, stored.get(i).id(), heard);
            }
            drain(reader, stored.getLast().id(), heard);
            assertEquals(stored.stream().map(Event::id).toList(), heard);
            assertFalse(reader.behind());
        }
    }

    private static void drain(EventFeed.Follower f, long upTo, List<Long> into) throws InterruptedException {
        while (f.last() < upTo) {
            List<Event> page = f.next(100);
            page.forEach(e -> into.add(e.id()));
            if (page.isEmpty()) {
                throw new AssertionError("the follower stopped at " + f.last() + " before " + upTo);
            }
        }
    }
}
