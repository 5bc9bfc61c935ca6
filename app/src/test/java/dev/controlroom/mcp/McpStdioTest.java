package dev.controlroom.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.ChildJvm;
import dev.controlroom.app.ControlRoom;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code control-room mcp} as an MCP client starts it: its own JVM, the protocol on stdin and stdout. */
class McpStdioTest {
    @TempDir
    Path dir;

    private List<String> mcp(Path db) {
        return ChildJvm.command("mcp", "--db", db.toString());
    }

    private Map<String, String> env() {
        return Map.of("HOME", dir.toString(), "XDG_DATA_HOME", dir.resolve("xdg").toString());
    }

    @Test
    void theSdkClientListsToolsRunsAPlanAndReadsItsOutputOverStdio() throws Exception {
        List<String> command = mcp(dir.resolve("control-room.db"));
        ServerParameters server = ServerParameters.builder(command.getFirst()).args(command.subList(1, command.size())).env(env()).build();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(server, new JacksonMcpJsonMapper(new ObjectMapper())))
                .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
        try {
            client.initialize();
            assertEquals("control-room", client.getServerInfo().name());
            assertEquals(McpClients.TOOLS, client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet()));
            JsonNode page = McpClients.importRunAndRead(client, "hello-over-stdio");
            assertTrue(page.get("lines").toString().contains("hello-over-stdio"), page.toString());
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void closingStdinEndsTheServerWithExitZeroAndStdoutCarriesOnlyTheProtocol() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(mcp(dir.resolve("control-room.db"))).directory(dir.toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().putAll(env());
        Process process = pb.start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(("""
                        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
                        "clientInfo":{"name":"test","version":"1"}}}
                        """).getBytes(StandardCharsets.UTF_8));
                in.flush();
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                JsonNode answer = new ObjectMapper().readTree(out.readLine());
                assertEquals(1, answer.get("id").asInt(), answer.toString());
                assertEquals("control-room", answer.at("/result/serverInfo/name").asText(), answer.toString());
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "mcp ends once its client closes stdin");
            assertEquals(0, process.exitValue(), Files.readString(dir.resolve("err.txt")));
            assertEquals("", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "nothing but the answer on stdout");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void whileAnotherProcessRunsTheDatabaseMcpSaysSoAndExitsNonZero() throws Exception {
        Path db = dir.resolve("control-room.db");
        try (ControlRoom running = ControlRoom.open(db)) {
            Process mcp = ChildJvm.start(dir, dir.resolve("out.txt"), dir.resolve("err.txt"), Map.of(), "mcp", "--db", db.toString());
            assertTrue(mcp.waitFor(60, TimeUnit.SECONDS), "mcp gives up at once");
            String err = Files.readString(dir.resolve("err.txt"));
            assertEquals(3, mcp.exitValue(), err);
            assertTrue(err.contains("is in use by Control Room process " + ProcessHandle.current().pid()), err);
            assertTrue(err.contains("http://127.0.0.1:PORT/mcp"), "it says where to connect instead: " + err);
            assertEquals("", Files.readString(dir.resolve("out.txt")), "stdout stays clean for the protocol");
        }
    }
}
