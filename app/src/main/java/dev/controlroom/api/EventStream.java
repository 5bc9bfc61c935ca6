package dev.controlroom.api;

import dev.controlroom.domain.Event;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * {@code GET /api/events/stream}: server-sent events. A client first gets the log after its
 * {@code Last-Event-ID} (or {@code ?since=ID}; without either, only what comes next), then every
 * event as it is stored, each once and in order, its id as the SSE id so a reconnect continues
 * exactly where it broke off. A client that falls behind (see {@link EventFeed}) is sent an
 * {@code overflow} event and closed.
 */
final class EventStream {
    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
    static final int MAX_CLIENTS = 32;
    /** How often an idle stream looks in the log (for events stored beside the engine) and proves the client is still there. */
    private static final long POLL_MILLIS = 1000;
    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final EventFeed feed;
    private final AtomicInteger clients = new AtomicInteger();
    private volatile boolean closed;

    EventStream(EventFeed feed) {
        this.feed = feed;
    }

    /** Ends every stream (the server is stopping). */
    void close() {
        closed = true;
    }

    int clients() {
        return clients.get();
    }

    void handle(Context ctx) throws IOException {
        long after = start(ctx);
        if (closed) {
            throw Problem.of(503, "Shutting down", "the server is stopping");
        }
        if (clients.incrementAndGet() > MAX_CLIENTS) {
            clients.decrementAndGet();
            throw Problem.of(503, "Too many streams", "at most " + MAX_CLIENTS + " event streams at once; close one and retry");
        }
        try (EventFeed.Follower follower = feed.follow(after)) {
            var res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("UTF-8");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no");
            OutputStream out = res.getOutputStream();
            write(out, ": control-room events after " + after + "\n\n");
            stream(follower, out);
        } catch (IOException gone) {
            // the client went away: nothing to tell anyone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.decrementAndGet();
        }
    }

    /** Where the client's stream starts: the id after which it has everything. */
    private long start(Context ctx) {
        Optional<String> given = Optional.ofNullable(ctx.header("Last-Event-ID")).map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> Requests.query(ctx, "since"));
        if (given.isEmpty()) {
            return feed.latest();
        }
        try {
            long id = Long.parseLong(given.get());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw Problem.badField(ctx.header("Last-Event-ID") != null ? "Last-Event-ID" : "since",
                    "an event id (a whole number, 0 for the whole log) is expected, not '" + given.get() + "'");
        }
    }

    private void stream(EventFeed.Follower follower, OutputStream out) throws IOException, InterruptedException {
        long quietSince = System.nanoTime();
        while (!closed) {
            if (follower.behind()) {
                write(out, "event: overflow\ndata: {\"detail\":\"this client fell more than " + feed.queueSize()
                        + " events behind and is closed; reconnect with Last-Event-ID " + follower.last() + " to read the rest from the log\"}\n\n");
                LOG.info("an event stream client fell " + feed.queueSize() + " events behind and was closed");
                return;
            }
            List<Event> events = follower.next(POLL_MILLIS);
            for (Event e : events) {
                send(out, e);
            }
            if (!events.isEmpty()) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS)) {
                write(out, ": keep-alive\n\n");
                quietSince = System.nanoTime();
            }
        }
    }

    private static void send(OutputStream out, Event e) throws IOException {
        // A stored payload may span lines: each line its own data field, which the client joins back with line feeds.
        write(out, "id: " + e.id() + "\ndata: " + ApiJson.write(Views.EventView.of(e)).replace("\r", "").replace("\n", "\ndata: ") + "\n\n");
    }

    private static void write(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
