/**
 * The {@code bench} door: benchmarks of the engine and runtime, each beside a baseline measured in
 * the same run (not part of the test suite); headless, so it imports no JavaFX and no {@code ui}.
 */
package dev.controlroom.bench;
