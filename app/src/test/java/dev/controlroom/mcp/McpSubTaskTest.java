package dev.controlroom.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.api.ApiServer;
import dev.controlroom.api.ApiToken;
import dev.controlroom.app.ControlRoom;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static dev.controlroom.mcp.McpClients.call;
import static dev.controlroom.mcp.McpClients.ok;
import static dev.controlroom.mcp.McpClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task's own process asks the MCP server for a sub-task: it joins the same run under its parent and the engine runs it. */
class McpSubTaskTest {
    @TempDir
    Path dir;
    private ControlRoom room;
    private ApiServer api;
    private McpSyncClient client;
    private Path tokenFile;

    @BeforeEach
    void start() {
        Path db = dir.resolve("control-room.db");
        room = ControlRoom.open(db);
        api = ApiServer.start(room.store(), room.orchestrator(), ApiToken.readOrCreate(db), 0,
                List.of(McpDoors.http(room.store(), room.orchestrator())));
        tokenFile = ApiToken.fileBeside(db);
        String token = readToken();
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder(api.address()).endpoint("/mcp")
                        .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token)).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
    }

    private String readToken() {
        try {
            return Files.readString(tokenFile).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
        room.close();
    }

    /**
     * What an agent does with the MCP server over streamable HTTP, in plain curl: initialize, then call
     * create_task with the run id and task key its session's environment gives it.
     */
    private Path agentScript() throws Exception {
        String headers = "-H \"Authorization: Bearer $(cat '" + tokenFile + "')\" -H 'Content-Type: application/json' "
                + "-H 'Accept: application/json, text/event-stream'";
        String url = api.address() + "/mcp";
        Path script = dir.resolve("make-child.sh");
        Files.writeString(script, """
                set -e
                SID=$(curl -s -D - -o /dev/null %1$s -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"agent","version":"1"}}}' '%2$s' \\
                      | tr -d '\\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')
                curl -s -o /dev/null %1$s -H "Mcp-Session-Id: $SID" -d '{"jsonrpc":"2.0","method":"notifications/initialized"}' '%2$s'
                curl -s %1$s -H "Mcp-Session-Id: $SID" -d '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_task","arguments":{"run_id":"'"$CONTROL_ROOM_RUN_ID"'","parent_task_key":"'"$CONTROL_ROOM_TASK_ID"'","key":"child","title":"Child","command":"echo child-ran"}}}' '%2$s'
                echo
                echo parent-done
                """.formatted(headers, url));
        return script;
    }

    @Test
    void aSubTaskCreatedByATasksProcessJoinsItsRunUnderItAndRuns() throws Exception {
        long list = ok(client, "import_plan", Map.of("plan", """
                name: parent-and-child
                tasks:
                  - id: parent
                    title: Parent
                    command: sh '%s'
                """.formatted(agentScript()))).get("id").asLong();
        String runId = ok(client, "start_run", Map.of("task_list_id", list)).get("id").asText();
        JsonNode run = McpClients.until(client, "get_run", Map.of("id", runId), McpClients::finished, Duration.ofSeconds(60));

        JsonNode tasks = ok(client, "list_tasks", Map.of("task_list_id", list)).get("tasks");
        JsonNode parent = find(tasks, "parent");
        JsonNode child = find(tasks, "child");
        assertEquals("succeeded", run.get("status").asText(), run + "\n" + tasks);
        assertEquals(2, run.get("total").asInt(), "the sub-task is a task of the same run");
        assertEquals(parent.get("id").asLong(), child.get("parent_task_id").asLong());
        assertEquals(runId, child.get("run_id").asText());
        assertEquals("succeeded", child.get("status").asText());
        assertEquals(parent.get("wave").asInt(), child.get("wave").asInt(), "in its parent's wave");

        JsonNode sessions = ok(client, "list_sessions", Map.of("run_id", runId)).get("sessions");
        String childSession = StreamSupport.stream(sessions.spliterator(), false)
                .filter(s -> s.get("task_id").asLong() == child.get("id").asLong()).findFirst().orElseThrow().get("id").asText();
        McpClients.until(client, "read_session_output", Map.of("session_id", childSession), p -> p.get("lines").toString().contains("child-ran"),
                Duration.ofSeconds(10));
    }

    @Test
    void aSubTaskOfATaskThatIsNotInALiveRunIsRefusedAndNothingIsStored() throws Exception {
        long list = ok(client, "import_plan", Map.of("plan", "name: idle\ntasks:\n  - { id: lone, title: Lone, command: 'echo lone' }\n"))
                .get("id").asLong();
        long lone = ok(client, "list_tasks", Map.of("task_list_id", list)).get("tasks").get(0).get("id").asLong();
        McpSchema.CallToolResult refused = call(client, "create_task", Map.of("parent_task_id", lone, "key", "kid", "title", "Kid",
                "command", "echo kid"));
        assertTrue(refused.isError(), text(refused));
        assertTrue(text(refused).contains("task lone is not in a live run"), text(refused));
        assertEquals(1, ok(client, "list_tasks", Map.of("task_list_id", list)).get("total").asInt());
    }

    private static JsonNode find(JsonNode tasks, String key) {
        return StreamSupport.stream(tasks.spliterator(), false).filter(t -> t.get("key").asText().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + key + " in " + tasks));
    }
}
