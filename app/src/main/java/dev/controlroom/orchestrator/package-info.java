/**
 * The engine: the run controls every door uses ({@link dev.controlroom.orchestrator.Orchestrator}), each a command on one
 * decision thread; its parts live in the sub-packages (port, loop, state, steps, outcomes, launch, commands).
 */
package dev.controlroom.orchestrator;
