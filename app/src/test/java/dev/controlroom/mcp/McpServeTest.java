package dev.controlroom.mcp;

import dev.controlroom.ChildJvm;
import dev.controlroom.api.ApiToken;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code control-room serve} carries the MCP server at {@code /mcp} beside the API, with the API's token. */
class McpServeTest {
    @TempDir
    Path dir;

    @Test
    void serveAnswersMcpAtSlashMcpWithTheApiToken() throws Exception {
        Path db = dir.resolve("control-room.db");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process serve = ChildJvm.start(dir, out, err, Map.of(), "serve", "--db", db.toString(), "--port", "0");
        try {
            String address = awaitAddress(out, serve);
            String token = Files.readString(ApiToken.fileBeside(db)).strip();
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(address).endpoint("/mcp")
                    .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                    .build();
            try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
                client.initialize();
                assertEquals(McpClients.TOOLS, client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet()));
                assertTrue(McpClients.ok(client, "list_runs", Map.of()).get("runs").isArray());
            }
            serve.toHandle().destroy(); // SIGTERM
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stops within a minute of SIGTERM");
            assertEquals(0, serve.exitValue(), Files.readString(err));
            assertFalse(Files.readString(err).contains(token) || Files.readString(out).contains(token), "the token is never printed");
        } finally {
            serve.destroyForcibly();
        }
    }

    private static String awaitAddress(Path out, Process serve) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            if (!lines.isEmpty() && Files.readString(out).endsWith("\n")) {
                return lines.getFirst().substring("api: ".length());
            }
            if (!serve.isAlive()) {
                throw new AssertionError("serve exited with " + serve.exitValue() + " before printing its address");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve printed no address within 60 s");
    }
}
