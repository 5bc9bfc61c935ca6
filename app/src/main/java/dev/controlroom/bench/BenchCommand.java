package dev.controlroom.bench;

import dev.controlroom.app.Logging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench}: measurements with a baseline taken in the same run. Not part of the tests. The
 * window's benchmark is added beside these by the launcher, so that this door needs no JavaFX.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints a table beside a baseline measured in the same run, so ratios survive noisy machines.",
        subcommands = {BenchCommand.Dispatch.class, BenchCommand.DagBench.class, BenchCommand.Ingest.class, BenchCommand.Chaos.class,
                BenchCommand.Api.class})
public final class BenchCommand {

    /** What every benchmark shares: where its files go, and running it with its failures reported. */
    public abstract static class Bench implements Runnable {
        @Option(names = "--dir", description = "Where the benchmark's database and files go (default: a new temp folder).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** Prints the benchmark's table to {@code out}; its files go under {@code work}. */
        protected abstract void measure(PrintWriter out, Path work) throws Exception;

        @Override
        public void run() {
            try {
                Path work = dir != null ? dir : Files.createTempDirectory("control-room-bench");
                Files.createDirectories(work);
                Logging.configure(work.resolve("logs"), false);
                measure(spec.commandLine().getOut(), work);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    @Command(name = "chaos", mixinStandardHelpOptions = true,
            description = "A plan with dependencies, retries, verify commands and detaching children, its engine killed with SIGKILL at "
                    + "random moments and resumed until the run ends (a third of the trials with the database locked for 12 s, a third "
                    + "with the disk it is on, a small tmpfs, full for 5 s): violations of each invariant. Linux, as root (mount).")
    static final class Chaos extends Bench {
        @Option(names = "--trials", description = "How many runs (default: ${DEFAULT-VALUE}).")
        int trials = 50;

        @Option(names = "--tasks", description = "Tasks per run (default: ${DEFAULT-VALUE}).")
        int tasks = 30;

        @Option(names = "--seed", description = "Seed of the plans and the kill moments (default: ${DEFAULT-VALUE}).")
        long seed = 7;

        @Override
        protected void measure(PrintWriter out, Path work) throws Exception {
            new ChaosBench(out, work, seed).run(trials, tasks);
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true,
            description = "The local API under load during a run: readers and event-stream subscribers beside the idle engine, and the"
                    + " engine's dispatch beside the same run without clients.")
    static final class Api extends Bench {
        @Option(names = "--tasks", description = "Length of the chain run under load (default: ${DEFAULT-VALUE}).")
        int tasks = 2000;

        @Option(names = "--clients", description = "HTTP readers (default: ${DEFAULT-VALUE}).")
        int clients = 50;

        @Option(names = "--streams", description = "Event-stream subscribers (default: ${DEFAULT-VALUE}).")
        int streams = 10;

        @Option(names = "--think-ms", description = "Pause of each reader between requests (default: ${DEFAULT-VALUE}).")
        long think = 100;

        @Option(names = "--idle-seconds", description = "How long the readers run against the idle engine (default: ${DEFAULT-VALUE}).")
        int idleSeconds = 10;

        @Override
        protected void measure(PrintWriter out, Path work) throws Exception {
            new ApiBench(out, work).run(tasks, clients, streams, think, idleSeconds);
        }
    }

    @Command(name = "dispatch", mixinStandardHelpOptions = true,
            description = "A chain of shell tasks running `true`: latency from one task's process exit to the next one's start, beside the bare pty4j spawn time.")
    static final class Dispatch extends Bench {
        @Option(names = "--tasks", description = "Length of the chain (default: ${DEFAULT-VALUE}).")
        int tasks = 500;

        @Override
        protected void measure(PrintWriter out, Path work) throws Exception {
            new EngineBench(out, work).dispatch(tasks);
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
        protected void measure(PrintWriter out, Path work) throws Exception {
            new EngineBench(out, work).dag(tasks, concurrency, seed);
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "One agent printing realistic ~100-character log lines through a PTY: throughput with storage, redaction and extraction, beside a bare read of the same output.")
    static final class Ingest extends Bench {
        @Option(names = "--megabytes", description = "How much output (default: ${DEFAULT-VALUE}).")
        int megabytes = 200;

        @Override
        protected void measure(PrintWriter out, Path work) throws Exception {
            new EngineBench(out, work).ingest(megabytes);
        }
    }
}
