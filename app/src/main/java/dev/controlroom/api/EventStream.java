package dev.controlroom.api;

import dev.controlroom.domain.Event;
import dev.controlroom.store.Store;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * {@code GET /api/events/stream}: server-sent events. A client first gets the log after its
 * {@code Last-Event-ID} (or {@code ?since=ID}; without either, only what comes next), then every
 * event as it is stored, each once and in order, its id as the SSE id so a reconnect continues
 * exactly where it broke off.
 *
 * <p>The engine hands its events to {@link #accept} on its loop thread; that only offers them to
 * each client's bounded queue and never waits. A client whose queue is full has fallen behind: it
 * is sent an {@code overflow} event and closed (it reconnects with its last id and reads the rest
 * from the log). The log stays the truth: an id missing from the queue (events read from agents'
 * output are stored beside the engine) is read from the store before the event after it is sent.
 */
final class EventStream implements Consumer<List<Event>> {
    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
    static final int QUEUE = 1024;
    static final int MAX_CLIENTS = 32;
    private static final int PAGE = 500;
    /** How often an idle stream looks in the log (for events stored beside the engine) and proves the client is still there. */
    private static final long POLL_MILLIS = 1000;
    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final Store store;
    private final int queueSize;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    EventStream(Store store, int queueSize) {
        this.store = store;
        this.queueSize = queueSize;
    }

    private static final class Client {
        final BlockingQueue<Event> queue;
        volatile boolean behind;

        Client(int size) {
            this.queue = new ArrayBlockingQueue<>(size);
        }
    }

    /** On the engine's loop thread: offer, never wait. */
    @Override
    public void accept(List<Event> events) {
        for (Client c : clients) {
            for (Event e : events) {
                if (!c.behind && !c.queue.offer(e)) {
                    c.behind = true;
                }
            }
        }
    }

    /** Ends every stream (the server is stopping). */
    void close() {
        closed = true;
    }

    int clients() {
        return clients.size();
    }

    void handle(Context ctx) throws IOException {
        long after = start(ctx);
        if (closed) {
            throw Problem.of(503, "Shutting down", "the server is stopping");
        }
        if (clients.size() >= MAX_CLIENTS) {
            throw Problem.of(503, "Too many streams", "at most " + MAX_CLIENTS + " event streams at once; close one and retry");
        }
        Client client = new Client(queueSize);
        // Listening before reading the log: an event stored meanwhile is in the queue, and dropped there as already sent.
        clients.add(client);
        try {
            var res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("UTF-8");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no");
            OutputStream out = res.getOutputStream();
            write(out, ": control-room events after " + after + "\n\n");
            stream(client, out, after);
        } catch (IOException gone) {
            // the client went away: nothing to tell anyone
        } finally {
            clients.remove(client);
        }
    }

    /** Where the client's stream starts: the id after which it has everything. */
    private long start(Context ctx) {
        Optional<String> given = Optional.ofNullable(ctx.header("Last-Event-ID")).map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> Requests.query(ctx, "since"));
        if (given.isEmpty()) {
            return store.events().latest(1).stream().mapToLong(Event::id).findFirst().orElse(0);
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

    private void stream(Client client, OutputStream out, long after) throws IOException {
        long last = catchUp(out, after, Long.MAX_VALUE);
        long quietSince = System.nanoTime();
        while (!closed) {
            if (client.behind) {
                write(out, "event: overflow\ndata: {\"detail\":\"this client fell more than " + queueSize
                        + " events behind and is closed; reconnect with Last-Event-ID " + last + " to read the rest from the log\"}\n\n");
                LOG.info("an event stream client fell " + queueSize + " events behind and was closed");
                return;
            }
            Event next;
            try {
                next = client.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long before = last;
            if (next == null) {
                last = catchUp(out, last, Long.MAX_VALUE);
            } else if (next.id() > last) {
                last = catchUp(out, last, next.id() - 1);
                send(out, next);
                last = next.id();
            }
            if (last != before) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS)) {
                write(out, ": keep-alive\n\n");
                quietSince = System.nanoTime();
            }
        }
    }

    /** Sends the stored events after {@code after} up to {@code upTo}; returns the last id sent (or {@code after}). */
    private long catchUp(OutputStream out, long after, long upTo) throws IOException {
        long last = after;
        while (last < upTo) {
            List<Event> page = store.events().after(last, PAGE);
            for (Event e : page) {
                if (e.id() > upTo) {
                    return last;
                }
                send(out, e);
                last = e.id();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return last;
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
