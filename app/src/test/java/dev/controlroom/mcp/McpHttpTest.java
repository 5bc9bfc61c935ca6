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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.controlroom.mcp.McpClients.call;
import static dev.controlroom.mcp.McpClients.ok;
import static dev.controlroom.mcp.McpClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MCP server at {@code /mcp} on the API's listener, driven by the SDK's own streamable HTTP client. */
class McpHttpTest {
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
             "clientInfo":{"name":"test","version":"1"}}}""";

    @TempDir
    Path dir;
    private ControlRoom room;
    private ApiServer api;
    private String token;
    private McpSyncClient client;

    @BeforeEach
    void start() throws Exception {
        Path db = dir.resolve("control-room.db");
        room = ControlRoom.open(db);
        api = ApiServer.start(room.store(), room.orchestrator(), ApiToken.readOrCreate(db), 0,
                List.of(McpDoors.http(room.store(), room.orchestrator())));
        token = Files.readString(ApiToken.fileBeside(db)).strip();
        client = client("Bearer " + token);
        client.initialize();
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
        room.close();
    }

    private McpSyncClient client(String authorization) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(api.address()).endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", authorization)).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void listsEveryToolWithItsSchema() {
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertEquals(McpClients.TOOLS, tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet()));
        McpSchema.Tool importPlan = tools.stream().filter(t -> t.name().equals("import_plan")).findFirst().orElseThrow();
        assertEquals(List.of("plan"), importPlan.inputSchema().get("required"));
    }

    @Test
    void anImportedPlanRunsToItsEndAndItsSessionOutputIsReadable() throws Exception {
        JsonNode page = McpClients.importRunAndRead(client, "hello-over-http");
        assertTrue(page.get("lines").toString().contains("hello-over-http"), page.toString());
        assertEquals(page.get("lines").size(), page.get("next").asInt(), "next is where the following page starts");
    }

    @Test
    void aRunIsAlsoAResourceThatShowsItsStateNow() throws Exception {
        long list = ok(client, "import_plan", Map.of("plan", "name: r\ntasks:\n  - { id: a, title: A, command: 'echo a' }\n")).get("id").asLong();
        String runId = ok(client, "start_run", Map.of("task_list_id", list)).get("id").asText();
        McpClients.until(client, "get_run", Map.of("id", runId), McpClients::finished, Duration.ofSeconds(60));

        McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest("controlroom://runs/" + runId));
        String json = ((McpSchema.TextResourceContents) read.contents().getFirst()).text();
        assertTrue(json.contains("\"id\":\"" + runId + "\"") && json.contains("\"status\":\"succeeded\""), json);
        long taskId = ok(client, "list_tasks", Map.of("task_list_id", list)).get("tasks").get(0).get("id").asLong();
        String task = ((McpSchema.TextResourceContents) client.readResource(new McpSchema.ReadResourceRequest("controlroom://tasks/" + taskId))
                .contents().getFirst()).text();
        assertTrue(task.contains("\"status\":\"succeeded\""), task);
    }

    @Test
    void aBadPlanIsAToolErrorNamingEveryProblemWithLineAndColumnAndStoresNothing() throws Exception {
        int listsBefore = room.store().plans().list().size();
        McpSchema.CallToolResult result = call(client, "import_plan", Map.of("plan", """
                name: broken
                tasks:
                  - id: a
                    command: echo a
                    depends_on: [nope]
                  - id: a
                    command: echo b
                """));
        assertTrue(result.isError(), text(result));
        String message = text(result);
        assertTrue(message.contains("2 problem(s); nothing was stored"), message);
        assertTrue(message.matches("(?s).*plan:5:\\d+: .*nope.*"), "the unknown dependency at line 5: " + message);
        assertTrue(message.matches("(?s).*plan:6:\\d+: .*"), "the duplicate id at line 6: " + message);
        assertEquals(listsBefore, room.store().plans().list().size(), "nothing stored");
    }

    @Test
    void createTaskIsCheckedByThePlanRulesAndJoinsItsList() throws Exception {
        long list = ok(client, "import_plan", Map.of("plan", "name: l\ntasks:\n  - { id: base, title: Base, command: 'echo base' }\n"))
                .get("id").asLong();
        McpSchema.CallToolResult refused = call(client, "create_task", Map.of("task_list_id", list, "key", "next", "title", "Next",
                "command", "echo next", "depends_on", List.of("missing")));
        assertTrue(refused.isError(), text(refused));
        assertTrue(text(refused).contains("missing"), text(refused));

        JsonNode created = ok(client, "create_task", Map.of("task_list_id", list, "key", "next", "title", "Next", "command", "echo next",
                "depends_on", List.of("base")));
        assertEquals("next", created.get("key").asText());
        assertEquals(1, created.get("wave").asInt(), "after base");
        JsonNode tasks = ok(client, "list_tasks", Map.of("task_list_id", list));
        assertEquals(2, tasks.get("total").asInt());
    }

    @Test
    void createTaskIsRefusedWhileItsListRunsNamingTheRun() throws Exception {
        long list = ok(client, "import_plan", Map.of("plan", "name: busy\ntasks:\n  - { id: slow, title: Slow, command: 'sleep 30' }\n"))
                .get("id").asLong();
        String runId = ok(client, "start_run", Map.of("task_list_id", list)).get("id").asText();
        try {
            McpSchema.CallToolResult refused = call(client, "create_task", Map.of("task_list_id", list, "key", "more", "title", "More",
                    "command", "echo more"));
            assertTrue(refused.isError(), text(refused));
            assertTrue(text(refused).contains("run " + runId) && text(refused).contains("is running"), text(refused));
            assertEquals(1, ok(client, "list_tasks", Map.of("task_list_id", list)).get("total").asInt(), "nothing added");
        } finally {
            room.orchestrator().cancel(runId).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aToolErrorNamesTheProblemInsteadOfAStackTrace() {
        McpSchema.CallToolResult missing = call(client, "get_run", Map.of("id", "no-such-run"));
        assertTrue(missing.isError());
        assertEquals("no run with id no-such-run", text(missing));
        McpSchema.CallToolResult wrongType = call(client, "get_task", Map.of("id", "seven"));
        assertTrue(wrongType.isError());
        assertTrue(text(wrongType).startsWith("id must be a whole number"), text(wrongType));
        McpSchema.CallToolResult unknown = call(client, "list_tasks", Map.of("colour", "red"));
        assertTrue(text(unknown).contains("unknown field 'colour'"), text(unknown));
    }

    @Test
    void aWaitingAgentGetsItsAnswer() throws Exception {
        long list = ok(client, "import_plan", Map.of("plan", """
                name: ask
                tasks:
                  - { id: confirm, title: Confirm, command: 'echo ready; read -r -p "Proceed? (y/n) " a; echo "got $a"' }
                """)).get("id").asLong();
        long taskId = ok(client, "list_tasks", Map.of("task_list_id", list)).get("tasks").get(0).get("id").asLong();
        McpSchema.CallToolResult early = call(client, "answer_question", Map.of("task_id", taskId, "text", "y"));
        assertTrue(early.isError() && text(early).contains("has not run yet"), text(early));

        String runId = ok(client, "start_run", Map.of("task_list_id", list)).get("id").asText();
        String session = McpClients.until(client, "list_sessions", Map.of("run_id", runId), s -> s.get("sessions").size() == 1,
                Duration.ofSeconds(30)).get("sessions").get(0).get("id").asText();
        // the question is the open line after "ready"; the engine takes an answer once it has seen the question
        McpClients.until(client, "read_session_output", Map.of("session_id", session), p -> p.get("lines").toString().contains("ready"),
                Duration.ofSeconds(30));
        McpSchema.CallToolResult answered = call(client, "answer_question", Map.of("task_id", taskId, "text", "y"));
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); answered.isError() && System.nanoTime() < deadline; ) {
            Thread.sleep(100);
            answered = call(client, "answer_question", Map.of("task_id", taskId, "text", "y"));
        }
        assertTrue(!answered.isError(), text(answered));

        JsonNode run = McpClients.until(client, "get_run", Map.of("id", runId), McpClients::finished, Duration.ofSeconds(30));
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        McpClients.until(client, "read_session_output", Map.of("session_id", session), p -> p.get("lines").toString().contains("got y"),
                Duration.ofSeconds(10));
    }

    @Test
    void mcpWithoutTheTokenIsRefusedAsEveryRouteIs() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(api.address() + "/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
        HttpResponse<String> none = http.send(post.copy().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.body().contains("Authorization: Bearer"), none.body());
        HttpResponse<String> wrong = http.send(post.copy().header("Authorization", "Bearer not-the-token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> foreign = http.send(post.copy().header("Authorization", "Bearer " + token).header("Origin", "https://evil.example")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode(), foreign.body());
        HttpResponse<String> right = http.send(post.copy().header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, right.statusCode(), right.body());

        try (McpSyncClient stranger = client("Bearer not-the-token")) {
            assertThrows(RuntimeException.class, stranger::initialize);
        }
    }
}
