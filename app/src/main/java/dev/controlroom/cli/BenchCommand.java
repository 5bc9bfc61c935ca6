package dev.controlroom.cli;

import dev.controlroom.app.Logging;
import dev.controlroom.bench.EngineBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code bench}: measurements with a baseline taken in the same run. Not part of the tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints a table beside a baseline measured in the same run, so ratios survive noisy machines.",
        subcommands = {BenchCommand.Dispatch.class, BenchCommand.DagBench.class, BenchCommand.Ingest.class})
public final class BenchCommand {

    static Path workDir(Path given) throws java.io.IOException {
        Path dir = given != null ? given : Files.createTempDirectory("control-room-bench");
        Logging.configure(dir.resolve("logs"), false);
        return dir;
    }

    @Command(name = "dispatch", mixinStandardHelpOptions = true,
            description = "A chain of shell tasks running `true`: latency from one task's process exit to the next one's start, beside the bare pty4j spawn time.")
    static final class Dispatch implements Runnable {
        @Option(names = "--tasks", description = "Length of the chain (default: ${DEFAULT-VALUE}).")
        int tasks = 500;

        @Option(names = "--dir", description = "Where the benchmark database goes (default: a new temp folder).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try {
                new EngineBench(spec.commandLine().getOut(), workDir(dir)).dispatch(tasks);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    @Command(name = "dag", mixinStandardHelpOptions = true,
            description = "A random DAG of shell tasks running `true` at a concurrency: tasks per second beside bare pty4j spawns at the same concurrency.")
    static final class DagBench implements Runnable {
        @Option(names = "--tasks", description = "How many tasks (default: ${DEFAULT-VALUE}).")
        int tasks = 10_000;

        @Option(names = "--concurrency", description = "Tasks at once (default: ${DEFAULT-VALUE}).")
        int concurrency = 16;

        @Option(names = "--seed", description = "Seed of the random DAG (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Option(names = "--dir", description = "Where the benchmark database goes (default: a new temp folder).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try {
                new EngineBench(spec.commandLine().getOut(), workDir(dir)).dag(tasks, concurrency, seed);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "One agent printing realistic ~100-character log lines through a PTY: throughput with storage, redaction and extraction, beside a bare read of the same output.")
    static final class Ingest implements Runnable {
        @Option(names = "--megabytes", description = "How much output (default: ${DEFAULT-VALUE}).")
        int megabytes = 200;

        @Option(names = "--dir", description = "Where the benchmark files go (default: a new temp folder).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try {
                new EngineBench(spec.commandLine().getOut(), workDir(dir)).ingest(megabytes);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
