package dev.controlroom.app;

import dev.controlroom.api.ApiServer;
import dev.controlroom.api.ApiToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API the window starts beside its engine: its port (the next free one when taken), its token, its address for the status bar. */
class WindowApiTest {
    @TempDir
    Path dir;

    @Test
    void theWindowsApiTakesTheNextPortWhenItsOwnIsTakenAnsweringWithTheTokenBesideTheDatabase() throws Exception {
        Path db = dir.resolve("cr.db");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int wanted = taken.getLocalPort();
            String address;
            try (ControlRoom room = ControlRoom.open(db)) {
                room.store().settings().put("api.port", String.valueOf(wanted));
                Optional<ApiServer> api = room.startApi(java.util.List.of());

                assertTrue(api.isPresent());
                assertNotEquals(wanted, api.get().port(), "the taken port is left alone");
                address = api.get().address();
                assertEquals(Optional.of(address), room.store().settings().get(WindowApi.ADDRESS_SETTING));
                String token = Files.readString(ApiToken.fileBeside(db)).strip();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address + "/api/agents"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            try (ControlRoom again = ControlRoom.open(db)) {
                assertEquals(Optional.of(""), again.store().settings().get(WindowApi.ADDRESS_SETTING), "closed: no address shown");
            }
        }
    }

    @Test
    void turnedOffItDoesNotListen() {
        try (ControlRoom room = ControlRoom.open(dir.resolve("off.db"))) {
            room.store().settings().put("api.enabled", "false");
            assertEquals(Optional.empty(), room.startApi(java.util.List.of()));
            assertEquals(Optional.of(""), room.store().settings().get(WindowApi.ADDRESS_SETTING));
        }
    }
}
