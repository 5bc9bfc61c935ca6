/**
 * The composition root: opens the database, seeds a first start, builds the engine in one place
 * ({@link dev.controlroom.app.EngineAssembly}) and creates, names and ends every thread.
 */
package dev.controlroom.app;
