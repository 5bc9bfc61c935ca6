package dev.controlroom.agent;

import java.util.Objects;

/**
 * Control Room's own MCP server as an agent's CLI reaches it: the URL of {@code /mcp} on the local
 * API's listener, and the bearer token that opens it. The token goes to the agent's process in its
 * environment only ({@value AgentCommands#MCP_TOKEN_VARIABLE}), never on its command line.
 */
public record McpEndpoint(String url, String token) {
    public McpEndpoint {
        Objects.requireNonNull(url);
        Objects.requireNonNull(token);
    }

    @Override
    public String toString() {
        return "McpEndpoint[" + url + ", token hidden]";
    }
}
