/** What the engine needs from outside and what it offers views: storage (RunLedger), agent processes (AgentRuntime), live output and worktree review. */
package dev.controlroom.orchestrator.port;
