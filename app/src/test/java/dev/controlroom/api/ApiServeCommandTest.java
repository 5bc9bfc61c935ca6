package dev.controlroom.api;

import dev.controlroom.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code control-room serve} as a user starts it: its own JVM, one address line, the token file, SIGTERM ends it cleanly. */
class ApiServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void servePrintsItsAddressWritesItsPortFileAnswersWithTheTokenAndStopsCleanlyOnSigterm() throws Exception {
        Path db = dir.resolve("control-room.db");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process serve = ChildJvm.start(dir, out, err, Map.of(), "serve", "--db", db.toString(), "--port", "0");
        try {
            String line = awaitLine(out, serve);
            assertTrue(line.matches("api: http://127\\.0\\.0\\.1:\\d+"), line);
            String token = Files.readString(ApiToken.fileBeside(db)).strip();
            HttpResponse<String> agents = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(line.substring(5) + "/api/agents"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, agents.statusCode(), agents.body());
            assertTrue(agents.body().contains("\"agents\""));
            Path portFile = ApiPortFile.fileBeside(db);
            assertEquals(line.substring(line.lastIndexOf(':') + 1), Files.readString(portFile).strip(), "api-port names the port it chose");

            serve.toHandle().destroy(); // SIGTERM
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stops within a minute of SIGTERM");
            assertEquals(0, serve.exitValue(), Files.readString(err));
            assertFalse(Files.exists(portFile), "a clean stop removes api-port");
            List<String> lines = Files.readAllLines(out);
            assertEquals(List.of(line), lines, "stdout has exactly the one address line");
            assertFalse(Files.readString(err).contains(token), "the token is never printed");
        } finally {
            serve.destroyForcibly();
        }
    }

    static String awaitLine(Path out, Process serve) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            if (!lines.isEmpty() && Files.readString(out).endsWith("\n")) {
                return lines.getFirst();
            }
            if (!serve.isAlive()) {
                throw new AssertionError("serve exited with " + serve.exitValue() + " before printing its address");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve printed no address within 60 s");
    }
}
