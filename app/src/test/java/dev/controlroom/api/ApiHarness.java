package dev.controlroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.app.ControlRoom;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real database, the real engine and the API on a free loopback port, with a real HTTP client. */
final class ApiHarness implements AutoCloseable {
    final ControlRoom room;
    final ApiServer api;
    final String token;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiHarness(Path dir) throws IOException {
        this(dir, EventFeed.QUEUE);
    }

    ApiHarness(Path dir, int liveQueue) throws IOException {
        Path db = dir.resolve("control-room.db");
        room = ControlRoom.open(db);
        api = ApiServer.start(room.store(), room.orchestrator(), ApiToken.readOrCreate(db), 0, liveQueue);
        token = java.nio.file.Files.readString(ApiToken.fileBeside(db)).strip();
    }

    URI uri(String path) {
        return URI.create(api.address() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> method(String method, String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return ApiJson.MAPPER.readTree(response.body());
    }

    /** Imports a plan (YAML) through the API; returns its task list id. */
    long importPlan(String yaml) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("/api/plans").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
        if (r.statusCode() != 201) {
            throw new AssertionError("plan import answered " + r.statusCode() + ": " + r.body());
        }
        return json(r).get("id").asLong();
    }

    /** Starts a run through the API and waits (by polling the API) until it is finished; returns the run. */
    JsonNode runToEnd(long listId) throws IOException, InterruptedException {
        HttpResponse<String> started = post("/api/runs", "{\"task_list_id\": " + listId + "}");
        if (started.statusCode() != 201) {
            throw new AssertionError("run start answered " + started.statusCode() + ": " + started.body());
        }
        String id = json(started).get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = json(get("/api/runs/" + id));
            String status = run.get("status").asText();
            if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + id + " did not finish within 60 s");
    }

    @Override
    public void close() {
        api.close();
        room.close();
    }
}
