/** Benchmarks of the engine and runtime, each beside a baseline measured in the same run (not part of the test suite). */
package dev.controlroom.bench;
