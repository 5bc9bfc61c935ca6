package dev.controlroom.api;

import dev.controlroom.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code control-room api-token --rotate}: a new private token, shown only when asked, and a running server accepts only it from then on. */
class ApiTokenRotationTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result apiToken(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Launcher.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "api-token";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Result(cli.execute(all), out.toString(), err.toString());
    }

    private static int status(ApiHarness api, String token) throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri("/api/agents")).header("Authorization", "Bearer " + token).GET().build()).statusCode();
    }

    @Test
    void aRunningServerRefusesTheOldTokenAndAcceptsTheNewOneOnceRotated() throws Exception {
        try (ApiHarness api = new ApiHarness(dir)) {
            Path db = dir.resolve("control-room.db");
            String old = api.token;
            assertEquals(200, status(api, old));

            Result rotated = apiToken("--rotate", "--show", "--db", db.toString());
            assertEquals(0, rotated.exit(), rotated.err());
            String fresh = rotated.out().strip();
            assertEquals(fresh + System.lineSeparator(), rotated.out(), "stdout is the new token alone");
            assertNotEquals(old, fresh);
            assertTrue(fresh.length() >= 32);
            assertEquals(fresh, Files.readString(ApiToken.fileBeside(db)).strip());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ApiToken.fileBeside(db))));
            assertFalse(rotated.err().contains(fresh) || rotated.err().contains(old), "stderr never shows a token");

            assertEquals(401, status(api, old), "the old token is refused at once");
            assertEquals(200, status(api, fresh), "the new one is accepted without a restart");
            ExecutionException refused = assertThrows(ExecutionException.class, () -> WsClient.connect(api, "/ws", true,
                    b -> b.header("Authorization", "Bearer " + old)).close());
            assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(), "and so is the WebSocket");
        }
    }

    @Test
    void anOpenWebSocketIsClosedOnceItsTokenIsRotatedAway() throws Exception {
        try (ApiHarness api = new ApiHarness(dir); WsClient ws = WsClient.connect(api, true)) {
            ws.send("{\"type\": \"subscribe\", \"ref\": \"s\", \"channels\": [\"events\"]}");
            assertEquals("ack", ws.answerTo("s").get("type").asText());
            apiToken("--rotate", "--db", dir.resolve("control-room.db").toString());
            String closed = ws.closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1008 ") && closed.contains("rotated"), closed);
        }
    }

    @Test
    void rotatingWithoutShowPrintsNoTokenAnywhere() throws Exception {
        Path db = dir.resolve("control-room.db");
        String before = ApiToken.rotate(db);
        Result rotated = apiToken("--rotate", "--db", db.toString());
        assertEquals(0, rotated.exit(), rotated.err());
        String after = Files.readString(ApiToken.fileBeside(db)).strip();
        assertNotEquals(before, after);
        assertFalse(rotated.out().contains(after) || rotated.err().contains(after), "the new token is only in the file");
        assertTrue(rotated.err().contains(ApiToken.fileBeside(db).toString()), "it says where the new token is: " + rotated.err());
    }
}
