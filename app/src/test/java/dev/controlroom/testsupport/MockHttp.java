package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP client for the mock servers' own tests, and a reader for the event streams they send. */
final class MockHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One server-sent event: its name and its data. */
    record Event(String name, JsonNode data) {
    }

    private MockHttp() {
    }

    static HttpResponse<String> post(URI uri, String json) throws IOException, InterruptedException {
        return CLIENT.send(request(uri, json), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> postAsync(URI uri, String json) {
        return CLIENT.sendAsync(request(uri, json), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<Void> head(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
    }

    static List<Event> events(String body) throws IOException {
        List<Event> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data = line.substring("data: ".length());
                }
            }
            if (name != null && data != null) {
                events.add(new Event(name, JSON.readTree(data)));
            }
        }
        return events;
    }

    /** The {@code data:} payloads of a stream of unnamed events (the Gemini and chat completions APIs), in order. */
    static List<String> data(String body) {
        List<String> data = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.startsWith("data: ")) {
                data.add(frame.substring("data: ".length()));
            }
        }
        return data;
    }

    static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    private static HttpRequest request(URI uri, String json) {
        return HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).build();
    }
}
