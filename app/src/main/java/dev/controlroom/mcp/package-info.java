/** The MCP door (Model Context Protocol: Claude Code, Codex, IDEs and the agents themselves) into the same task, plan and run services as the API, over stdio and streamable HTTP; the only user of the MCP SDK. */
package dev.controlroom.mcp;
