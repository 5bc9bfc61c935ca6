/** The orchestrator: the deterministic, event-driven engine that runs task lists on agents, and the run controls every door uses. */
package dev.controlroom.orchestrator;
