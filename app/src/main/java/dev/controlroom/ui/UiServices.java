package dev.controlroom.ui;

import dev.controlroom.agent.CliVersions.CliVersion;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the window is built from, given by whoever opens it: the store, the engine, the background
 * executor for every database access, the one door to the FX thread, the clock the panes measure
 * time by, and how the agent CLIs on this machine are asked for their versions. The window's view
 * models each take their part of these in a record of their own; none hands them on.
 */
public record UiServices(Store store, Orchestrator orchestrator, Executor background, Executor fx, Clock clock,
                         Supplier<CompletableFuture<List<CliVersion>>> probeClis) {
}
