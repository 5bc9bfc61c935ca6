/** A person's controls over runs, tasks and sessions, each carried out on the loop. */
package dev.controlroom.orchestrator.commands;
