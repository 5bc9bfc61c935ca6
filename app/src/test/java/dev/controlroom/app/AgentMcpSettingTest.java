package dev.controlroom.app;

import dev.controlroom.agent.McpEndpoint;
import dev.controlroom.api.ApiToken;
import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.AgentStats;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Which agents get Control Room's MCP server: those opted in, while the local API serves their database. */
class AgentMcpSettingTest {
    @TempDir
    Path dir;

    private static Agent agent(String name) {
        return new Agent(1, name, Optional.empty(), AgentProfile.CLAUDE, Optional.empty(), Optional.empty(), 1, true, AgentStatus.IDLE,
                AgentStats.NONE, Optional.empty());
    }

    @Test
    void onlyAnOptedInAgentGetsTheServerAndOnlyWhileTheApiIsRunning() throws Exception {
        Path db = dir.resolve("cr.db");
        try (Store store = Store.open(db, Clock.systemUTC())) {
            ApiToken.readOrCreate(db);
            String token = Files.readString(ApiToken.fileBeside(db)).strip();
            store.settings().put(WindowApi.ADDRESS_SETTING, "http://127.0.0.1:4444");
            assertEquals(Optional.empty(), EngineAssembly.mcpFor(store, agent("a")), "not opted in");

            store.settings().put("agent.a.mcp", "TRUE");
            assertEquals(Optional.of(new McpEndpoint("http://127.0.0.1:4444/mcp", token)), EngineAssembly.mcpFor(store, agent("a")));
            assertEquals(Optional.empty(), EngineAssembly.mcpFor(store, agent("b")), "another agent");

            String rotated = ApiToken.rotate(db);
            assertEquals(rotated, EngineAssembly.mcpFor(store, agent("a")).orElseThrow().token(), "the token as it stands now");

            store.settings().put(WindowApi.ADDRESS_SETTING, "");
            assertFalse(EngineAssembly.mcpFor(store, agent("a")).isPresent(), "no API running");
            assertFalse(new McpEndpoint("u", token).toString().contains(token));
        }
    }
}
