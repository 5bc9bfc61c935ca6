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
        subcommands = {BenchCommand.Dispatch.class, BenchCommand.DagBench.class, BenchCommand.Ingest.class, BenchCommand.Ui.class})
public final class BenchCommand {

    /** What every benchmark shares: where its files go, and running it with its failures reported. */
    abstract static class Bench implements Runnable {
        @Option(names = "--dir", description = "Where the benchmark's database and files go (default: a new temp folder).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** Where this run's files go. */
        Path work;

        abstract void measure(EngineBench bench) throws Exception;

        @Override
        public void run() {
            try {
                work = dir != null ? dir : Files.createTempDirectory("control-room-bench");
                Files.createDirectories(work);
                Logging.configure(work.resolve("logs"), false);
                measure(new EngineBench(spec.commandLine().getOut(), work));
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    @Command(name = "dispatch", mixinStandardHelpOptions = true,
            description = "A chain of shell tasks running `true`: latency from one task's process exit to the next one's start, beside the bare pty4j spawn time.")
    static final class Dispatch extends Bench {
        @Option(names = "--tasks", description = "Length of the chain (default: ${DEFAULT-VALUE}).")
        int tasks = 500;

        @Override
        void measure(EngineBench bench) throws Exception {
            bench.dispatch(tasks);
        }
    }

    @Command(name = "dag", mixinStandardHelpOptions = true,
            description = "A random DAG of shell tasks running `true` at a concurrency: tasks per second beside bare pty4j spawns at the same concurrency.")
    static final class DagBench extends Bench {
        @Option(names = "--tasks", description = "How many tasks (default: ${DEFAULT-VALUE}).")
        int tasks = 10_000;

        @Option(names = "--concurrency", description = "Tasks at once (default: ${DEFAULT-VALUE}).")
        int concurrency = 16;

        @Option(names = "--seed", description = "Seed of the random DAG (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Override
        void measure(EngineBench bench) throws Exception {
            bench.dag(tasks, concurrency, seed);
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "One agent printing realistic ~100-character log lines through a PTY: throughput with storage, redaction and extraction, beside a bare read of the same output.")
    static final class Ingest extends Bench {
        @Option(names = "--megabytes", description = "How much output (default: ${DEFAULT-VALUE}).")
        int megabytes = 200;

        @Override
        void measure(EngineBench bench) throws Exception {
            bench.ingest(megabytes);
        }
    }

    @Command(name = "ui", mixinStandardHelpOptions = true,
            description = "The real window with many agents printing fast (real PTYs through the engine), every session open in a terminal view:"
                    + " FX pulse gaps under load beside the idle window, lines printed vs stored, peak heap."
                    + " Needs a display (DISPLAY, e.g. Xvfb) or --headless (Monocle on the class path).")
    static final class Ui extends Bench {
        @Option(names = "--agents", description = "Agents printing at once (default: ${DEFAULT-VALUE}).")
        int agents = 20;

        @Option(names = "--seconds", description = "How long each prints (default: ${DEFAULT-VALUE}).")
        int seconds = 30;

        @Option(names = "--rate", description = "Lines per second per agent (default: ${DEFAULT-VALUE}).")
        int rate = 2000;

        @Option(names = "--headless", description = "Use Monocle instead of a display.")
        boolean headless;

        @Override
        void measure(EngineBench ignored) throws Exception {
            new dev.controlroom.bench.UiBench(spec.commandLine().getOut(), work).run(agents, seconds, rate, headless);
        }
    }
}
