/** Sessions' processes started, continued and ended beside the loop: environment, worktree, spawn, attach, kill. */
package dev.controlroom.orchestrator.launch;
