/** What the engine holds in memory (runs, tasks, live sessions, the roster) and the one writer of their state, through tables that reject illegal moves. */
package dev.controlroom.orchestrator.state;
