/** One-purpose steps of the loop: begin a run, start ready tasks, promote due retries, watch sessions, beat the heartbeat, adopt abandoned runs. */
package dev.controlroom.orchestrator.steps;
