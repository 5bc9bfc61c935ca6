package dev.controlroom.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** What the MCP tests do through the SDK's own client, whatever the transport. */
final class McpClients {
    static final Set<String> TOOLS = Set.of("list_tasks", "get_task", "list_runs", "get_run", "list_sessions", "read_session_output",
            "create_task", "import_plan", "start_run", "answer_question");
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpClients() {
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    /** The text of a tool's answer (its first content). */
    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    /** A tool call that must succeed; its answer as JSON. */
    static JsonNode ok(McpSyncClient client, String tool, Map<String, Object> arguments) throws IOException {
        McpSchema.CallToolResult result = call(client, tool, arguments);
        if (Boolean.TRUE.equals(result.isError())) {
            throw new AssertionError(tool + " refused: " + text(result));
        }
        return JSON.readTree(text(result));
    }

    /** Calls {@code tool} every 50 ms until its answer matches, for at most {@code limit}. */
    static JsonNode until(McpSyncClient client, String tool, Map<String, Object> arguments, Predicate<JsonNode> done, Duration limit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = ok(client, tool, arguments);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(tool + " " + arguments + " did not get there within " + limit + "; last: " + last);
    }

    static boolean finished(JsonNode run) {
        return List.of("succeeded", "failed", "cancelled").contains(run.get("status").asText());
    }

    /**
     * Imports a plan, runs it to its end and returns its one session's output: what every transport
     * must carry, through the tools alone.
     */
    static JsonNode importRunAndRead(McpSyncClient client, String marker) throws IOException, InterruptedException {
        JsonNode list = ok(client, "import_plan", Map.of("plan", """
                name: from-mcp
                tasks:
                  - id: hello
                    title: Say hello
                    command: echo %s
                """.formatted(marker)));
        JsonNode started = ok(client, "start_run", Map.of("task_list_id", list.get("id").asLong()));
        String runId = started.get("id").asText();
        JsonNode run = until(client, "get_run", Map.of("id", runId), McpClients::finished, Duration.ofSeconds(60));
        if (!run.get("status").asText().equals("succeeded")) {
            throw new AssertionError("the run ended " + run);
        }
        JsonNode sessions = ok(client, "list_sessions", Map.of("run_id", runId)).get("sessions");
        if (sessions.size() != 1) {
            throw new AssertionError("one session expected: " + sessions);
        }
        String session = sessions.get(0).get("id").asText();
        return until(client, "read_session_output", Map.of("session_id", session, "from", 0, "limit", 100),
                page -> page.get("lines").toString().contains(marker), Duration.ofSeconds(10));
    }
}
