package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.domain.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The event stream: a reconnecting client misses nothing and gets nothing twice. */
class ApiEventStreamTest {
    @TempDir
    Path dir;

    private static final String PLAN = """
            name: streamed
            tasks:
              - id: a
                command: echo a
              - id: b
                command: echo b
                depends_on: [a]
            """;

    /** Reads the stream until {@code count} events came; returns their ids. */
    private static List<Long> read(ApiHarness api, String lastEventId, int count) throws Exception {
        HttpRequest.Builder request = api.request("/api/events/stream").header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = api.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<Long> ids = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long id = -1;
            String line;
            while (ids.size() < count && (line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    JsonNode event = ApiJson.MAPPER.readTree(line.substring(6));
                    assertEquals(id, event.get("id").asLong(), "the SSE id is the event's id");
                } else if (line.isEmpty() && id >= 0) {
                    ids.add(id);
                    id = -1;
                }
            }
        }
        return ids;
    }

    @Test
    void aClientReconnectingWithLastEventIdMissesNothingAndGetsNothingTwice() throws Exception {
        try (ApiHarness api = new ApiHarness(dir)) {
            long list = api.importPlan(PLAN);
            api.runToEnd(list);
            List<Long> stored = api.room.store().events().after(0, 10_000).stream().map(Event::id).toList();
            int half = stored.size() / 2;
            // first connection: from the start of the log, broken off half way
            List<Long> first = read(api, "0", half);
            // more events are stored while the client is away
            api.runToEnd(list);
            List<Long> all = api.room.store().events().after(0, 10_000).stream().map(Event::id).toList();
            List<Long> second = read(api, Long.toString(first.getLast()), all.size() - half);
            List<Long> received = new ArrayList<>(first);
            received.addAll(second);
            assertEquals(all, received, "every stored event once, in order");
        }
    }

    @Test
    void aLiveClientHearsEventsAsTheEngineStoresThem() throws Exception {
        try (ApiHarness api = new ApiHarness(dir)) {
            long list = api.importPlan(PLAN);
            long before = api.room.store().events().latest(1).getFirst().id();
            java.util.concurrent.CompletableFuture<List<Long>> live = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return read(api, null, 3);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Thread.sleep(300); // connected and waiting at the end of the log
            api.runToEnd(list);
            List<Long> ids = live.get(30, java.util.concurrent.TimeUnit.SECONDS);
            List<Long> expected = api.room.store().events().after(before, 3).stream().map(Event::id).toList();
            assertEquals(expected, ids, "without Last-Event-ID a client gets what comes next, in order");
        }
    }
}
