package dev.controlroom.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.controlroom.api.ApiServer;
import dev.controlroom.api.ApiToken;
import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.WindowApi;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.testsupport.AgentClis;
import dev.controlroom.testsupport.BuildTempDirs;
import dev.controlroom.testsupport.ClaudeEnv;
import dev.controlroom.testsupport.MockAnthropicServer;
import dev.controlroom.testsupport.Script;
import dev.controlroom.testsupport.Turn;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static dev.controlroom.mcp.McpClients.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent opted in to Control Room's MCP server (setting {@code agent.<name>.mcp}) runs the REAL
 * Claude Code CLI against a mock model that calls {@code create_task} through that server: the
 * sub-task joins the run under its parent and runs, and the parent's next turn reads the tool's
 * answer. The token reaches the CLI in its environment only.
 */
@Timeout(120)
class AgentMcpServerTest {
    @TempDir(factory = BuildTempDirs.class)
    Path dir;

    @Test
    void claudeCreatesASubTaskThroughControlRoomsMcpServerAndSeesItsId() throws Exception {
        Path db = dir.resolve("control-room.db");
        Set<String> tokenInArgv = ConcurrentHashMap.newKeySet();
        Set<String> sessionCommandLines = ConcurrentHashMap.newKeySet();
        Set<Boolean> tokenInSessionEnvironment = ConcurrentHashMap.newKeySet();
        String token;
        long parentId;
        long childId;
        List<JsonNode> conversation;
        try (ControlRoom room = ControlRoom.open(db);
             ApiServer api = ApiServer.start(room.store(), room.orchestrator(), ApiToken.readOrCreate(db), 0,
                     List.of(McpDoors.http(room.store(), room.orchestrator())))) {
            token = Files.readString(ApiToken.fileBeside(db)).strip();
            // As serve and the window do once their API listens.
            room.store().settings().put(WindowApi.ADDRESS_SETTING, api.address());
            room.store().settings().put("agent.claude-1.mcp", "true");
            room.store().agents().hire(new NewAgent("claude-1", Optional.empty(), AgentProfile.CLAUDE, Optional.empty(),
                    Optional.of(AgentClis.claude().toString()), 1));
            room.orchestrator().rosterChanged();

            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(api.address()).endpoint("/mcp")
                            .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                            .build())
                    .requestTimeout(Duration.ofSeconds(30)).build();
            client.initialize();
            try {
                // The parent's id is known once its plan is imported, after the model's server started: the turn reads it then.
                java.util.concurrent.atomic.AtomicLong parentRef = new java.util.concurrent.atomic.AtomicLong();
                Script script = Script.of(
                        Turn.toolUse("mcp__control-room__create_task", Map.of("parent_task_id", (java.util.function.Supplier<Long>) parentRef::get,
                                "key", "child", "title", "Child", "command", "echo child-ran")),
                        Turn.text("The sub-task is queued."));
                try (MockAnthropicServer model = MockAnthropicServer.start(script)) {
                    ClaudeEnv claude = ClaudeEnv.builder(model.baseUrl(), Files.createDirectories(dir.resolve("claude-state")))
                            .maxRetries(0).apiTimeout(Duration.ofSeconds(30)).build();
                    long list = ok(client, "import_plan", Map.of("plan", plan(claude.variables()))).get("id").asLong();
                    parentId = ok(client, "list_tasks", Map.of("task_list_id", list)).get("tasks").get(0).get("id").asLong();
                    parentRef.set(parentId);
                    AtomicBoolean running = new AtomicBoolean(true);
                    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                        while (running.get()) {
                            sampleProcesses(token, tokenInArgv, sessionCommandLines, tokenInSessionEnvironment);
                        }
                    });
                    String runId;
                    JsonNode run;
                    try {
                        runId = ok(client, "start_run", Map.of("task_list_id", list)).get("id").asText();
                        run = McpClients.until(client, "get_run", Map.of("id", runId), McpClients::finished, Duration.ofSeconds(90));
                    } finally {
                        running.set(false);
                        sampler.join();
                    }
                    JsonNode tasks = ok(client, "list_tasks", Map.of("task_list_id", list)).get("tasks");
                    JsonNode parent = find(tasks, "parent");
                    JsonNode child = find(tasks, "child");
                    childId = child.get("id").asLong();
                    String sessions = room.store().runs().sessions(runId).stream()
                            .map(s -> s.id() + ":\n" + String.join("\n", room.store().output().lines(s.id(), 0, 40))).toList().toString();
                    assertEquals("succeeded", run.get("status").asText(), run + "\n" + tasks + "\n" + sessions);
                    assertEquals(2, run.get("total").asInt(), "the sub-task is a task of the same run");
                    assertEquals(parentId, parent.get("id").asLong());
                    assertEquals(parentId, child.get("parent_task_id").asLong(), "created under the task whose agent asked");
                    assertEquals(runId, child.get("run_id").asText());
                    assertEquals("succeeded", child.get("status").asText());
                    assertEquals("succeeded", parent.get("status").asText());
                    assertTrue(sessions.contains("child-ran"), sessions);
                    // The CLI connected to the server with the token: it lists it as connected, and the tool answered.
                    assertTrue(sessions.contains("\"name\":\"control-room\",\"status\":\"connected\""), sessions);
                    conversation = model.conversationRequests();
                }
            } finally {
                client.close();
            }
        }
        assertTrue(conversation.size() >= 2, "two turns: " + conversation.size());
        assertTrue(conversation.getFirst().path("tools").toString().contains("mcp__control-room__create_task"),
                "the model is offered Control Room's tools");
        String toolResult = MockAnthropicServer.lastUserText(conversation.get(1));
        assertTrue(toolResult.contains("\"id\":" + childId) && toolResult.contains("\"parent_task_id\":" + parentId),
                "the parent's next turn reads the created task: " + toolResult);

        assertFalse(sessionCommandLines.isEmpty(), "the session's process was seen");
        assertTrue(sessionCommandLines.stream().allMatch(line -> line.contains("${CONTROL_ROOM_API_TOKEN}")), sessionCommandLines::toString);
        assertEquals(Set.of(), tokenInArgv, "the token is on no command line");
        assertEquals(Set.of(true), tokenInSessionEnvironment, "the token is in the session's environment");
        for (Path file : databaseFiles(db)) {
            assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(token), "the token is not in " + file);
        }
    }

    /** One AI task for the opted-in agent, with the CLI's environment for the mock model. */
    private static String plan(Map<String, String> env) {
        StringBuilder yaml = new StringBuilder("""
                name: agent-with-mcp
                tasks:
                  - id: parent
                    title: Parent
                    prompt: Queue a sub-task that says child-ran.
                    agent: claude-1
                    context:
                      env:
                """);
        env.forEach((k, v) -> yaml.append("        ").append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        return yaml.toString();
    }

    /** Every process's command line: those naming {@code --mcp-config} are the CLI's (and the shell that starts it). */
    private static void sampleProcesses(String token, Set<String> tokenInArgv, Set<String> sessionLines, Set<Boolean> tokenInEnvironment) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String line = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (line.contains(token)) {
                        tokenInArgv.add(line);
                    }
                    if (line.contains("--mcp-config")) {
                        sessionLines.add(line);
                        String environment = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
                        tokenInEnvironment.add(List.of(environment.split("\0")).contains("CONTROL_ROOM_API_TOKEN=" + token));
                    }
                } catch (java.io.IOException gone) {
                    // the process ended while it was read
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> databaseFiles(Path db) throws java.io.IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.list(db.getParent())) {
            all.filter(p -> p.getFileName().toString().startsWith(db.getFileName().toString())).forEach(files::add);
        }
        return files;
    }

    private static JsonNode find(JsonNode tasks, String key) {
        return StreamSupport.stream(tasks.spliterator(), false).filter(t -> t.get("key").asText().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + key + " in " + tasks));
    }
}
