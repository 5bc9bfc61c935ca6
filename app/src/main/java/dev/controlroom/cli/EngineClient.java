package dev.controlroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.api.ApiToken;
import dev.controlroom.store.Store;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The engine another Control Room process runs on a database (the window, the tray, {@code serve}),
 * reached through its local API: a command that would start a second engine asks that one instead.
 * Its address is the setting {@code api.address} that process wrote; its token the {@code api-token}
 * file beside the database.
 */
final class EngineClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String address;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EngineClient(String address, String token) {
        this.address = address;
        this.token = token;
    }

    /** The running engine's API, when the process that holds the database serves one. */
    static Optional<EngineClient> find(Store store) {
        Optional<String> address = store.settings().get("api.address").map(String::strip).filter(a -> !a.isEmpty());
        Path tokenFile = ApiToken.fileBeside(store.file());
        if (address.isEmpty() || !Files.isReadable(tokenFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EngineClient(address.get(), Files.readString(tokenFile).strip()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    String address() {
        return address;
    }

    /** An answer of the API: its status and its JSON body (a problem's {@code detail} on errors). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String detail() {
            return body.path("detail").asText(body.toString());
        }
    }

    /** Imports a plan file's text as that file (the same unchanged file is the same task list). */
    Answer importPlan(Path file, String text) throws IOException, InterruptedException {
        boolean json = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        return send(request("/api/plans?source=" + URLEncoder.encode(file.toAbsolutePath().toString(), StandardCharsets.UTF_8))
                .header("Content-Type", json ? "application/json" : "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    Answer post(String path, Object body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(address + path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException notJson) {
            body = JSON.createObjectNode().put("detail", r.body());
        }
        return new Answer(r.statusCode(), body);
    }
}
