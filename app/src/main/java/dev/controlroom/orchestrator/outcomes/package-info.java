/** What an exit, a signal or a verdict means for a task: succeed, iterate, retry, park, give up. */
package dev.controlroom.orchestrator.outcomes;
