package dev.controlroom.ui;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.bench.HeapProbe;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.store.PlanStore;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench ui}: the real window with many agents printing fast into open terminal views.
 * Measures the gap between FX pulses under that load beside the same probe on the idle window,
 * checks that every printed line is stored, and reports the peak heap.
 */
public final class UiBench {
    static final double GOAL_P99_MILLIS = 33;
    static final long GOAL_HEAP_BYTES = 512L << 20;

    /** Prints {@code rate} lines a second of ~80 visible characters with colour codes, for {@code seconds}. */
    private static final String GENERATOR = """
            import os, sys, time
            idx, rate, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
            total = int(rate * secs)
            words = "agent compiles module runs tests fixes lint writes docs checks diff reads file plans next step".split()
            colours = [31, 32, 33, 34, 35, 36]
            out = os.fdopen(1, "w", buffering=1 << 16)
            start = time.monotonic()
            i = 0
            while i < total:
                due = min(total, int((time.monotonic() - start) * rate) + 1)
                lines = []
                while i < due:
                    body = " ".join(words[(i + k) % len(words)] for k in range(8))
                    text = (body + " " + "." * 60)[:56]
                    lines.append("\\x1b[%dm[agent %02d]\\x1b[0m %07d \\x1b[1mINFO\\x1b[22m %s" % (colours[i % 6], idx, i, text))
                    i += 1
                out.write("\\n".join(lines) + "\\n")
                out.flush()
                time.sleep(0.005)
            """;

    private final PrintWriter out;
    private final Path dir;

    public UiBench(PrintWriter out, Path dir) {
        this.out = out;
        this.dir = dir;
    }

    /** @return whether it met its goals (every line stored, p99 pulse gap, heap) */
    public boolean run(int agents, int seconds, int linesPerSecond, boolean headless) throws Exception {
        Path script = Files.writeString(dir.resolve("print-lines.py"), GENERATOR);
        try (ControlRoom room = ControlRoom.open(dir.resolve("bench-ui.db"))) {
            room.store().agents().hire(new NewAgent("bench-printer", Optional.empty(), AgentProfile.SHELL, Optional.empty(),
                    Optional.empty(), agents));
            room.orchestrator().rosterChanged();
            List<TaskSpec> tasks = new ArrayList<>();
            for (int i = 1; i <= agents; i++) {
                tasks.add(TaskSpec.shell(String.format("print-%02d", i), "python3 " + script + " " + i + " " + linesPerSecond + " " + seconds));
            }
            PlanSummary plan = room.store().plans().importPlan(new PlanSpec("bench-ui", Optional.of(agents), WaveMode.DATAFLOW, List.of(), tasks),
                    PlanStore.Source.of(null, "api", null));

            try (BenchWindow window = BenchWindow.open(room.store(), room.orchestrator(), room.background(), headless)) {
                Duration idleFor = Duration.ofSeconds(Math.max(2, Math.min(10, seconds)));
                BenchWindow.PulseStats idle = window.measurePulses(new CompletableFuture<>(), idleFor);

                HeapProbe heap = new HeapProbe();
                heap.start();
                long t0 = System.nanoTime();
                String runId = room.orchestrator().start(plan.id(), new RunOptions(agents, WaveMode.DATAFLOW, "cli")).get(30, TimeUnit.SECONDS);
                CompletableFuture<RunSummary> finished = room.orchestrator().finished(runId);
                CompletableFuture<Void> opened = CompletableFuture.runAsync(() -> openAll(window, room, runId, agents, finished));
                BenchWindow.PulseStats load = window.measurePulses(finished, Duration.ofSeconds(seconds * 4L + 120));
                RunSummary end = finished.get(60, TimeUnit.SECONDS);
                double wall = (System.nanoTime() - t0) / 1e9;
                opened.get(10, TimeUnit.SECONDS);
                int terminals = window.terminalsOpen();
                long skipped = window.skippedBytes();
                heap.stop();

                List<SessionRecord> sessions = room.store().runs().sessions(runId);
                long stored = sessions.stream().mapToLong(s -> room.store().output().lineCount(s.id())).sum();
                long printed = sessions.stream().filter(s -> s.exitCode().equals(Optional.of(0))).count() * (long) linesPerSecond * seconds;
                return report(agents, seconds, linesPerSecond, headless, end, wall, terminals, skipped, idle, load, printed, stored,
                        heap.peakBytes(), heap.peakLiveBytes());
            }
        }
    }

    private static void openAll(BenchWindow window, ControlRoom room, String runId, int agents, CompletableFuture<?> finished) {
        try {
            while (!finished.isDone()) {
                List<String> ids = room.store().runs().sessions(runId).stream().map(SessionRecord::id).toList();
                if (ids.size() >= agents) {
                    window.openTerminals(ids);
                    return;
                }
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not open the terminals: " + e.getMessage(), e);
        }
    }

    private boolean report(int agents, int seconds, int rate, boolean headless, RunSummary end, double wall, int terminals, long skipped,
                           BenchWindow.PulseStats idle, BenchWindow.PulseStats load, long printed, long stored, long peakHeap,
                           long peakLive) {
        out.printf("bench ui: %d agents printing %,d lines/s of ~80 characters with colour codes for %d s each, through real PTYs;"
                + " %d terminal views open (%s; run %s: %s, wall %.1f s)%n", agents, rate, seconds, terminals,
                headless ? "Monocle headless" : "display " + System.getenv().getOrDefault("DISPLAY", "?"), end.id(), end.state().id(), wall);
        out.printf("%-36s %9s %9s %9s %9s%n", "FX pulse gap", "pulses", "p50 ms", "p99 ms", "max ms");
        out.printf("%-36s %9d %9.1f %9.1f %9.1f%n", "idle window (baseline)", idle.pulses(), idle.p50Millis(), idle.p99Millis(), idle.maxMillis());
        out.printf("%-36s %9d %9.1f %9.1f %9.1f%n", "under load", load.pulses(), load.p50Millis(), load.p99Millis(), load.maxMillis());
        out.printf("%-36s %9s %8.2fx %8.2fx %8.2fx%n", "ratio load / idle", "",
                ratio(load.p50Millis(), idle.p50Millis()), ratio(load.p99Millis(), idle.p99Millis()), ratio(load.maxMillis(), idle.maxMillis()));
        out.printf("longest gaps under load: %s (the load starts at +0 s)%n", String.join(", ", load.longest()));
        boolean allStored = printed == stored && printed == (long) agents * rate * seconds;
        out.printf("lines printed %,d, lines stored %,d (%s); output skipped by views that fell behind: %,d bytes (kept in the database)%n",
                printed, stored, allStored ? "equal, zero lost" : "DIFFERENT", skipped);
        boolean heapOk = peakHeap < GOAL_HEAP_BYTES;
        out.printf("peak heap used %.0f MB (goal < 512 MB: %s); most held after a collection %.0f MB%n", peakHeap / 1e6,
                heapOk ? "meets" : "misses", peakLive / 1e6);
        boolean pulsesOk = load.p99Millis() <= GOAL_P99_MILLIS;
        out.printf("verdict: p99 pulse gap under load %.1f ms %s the %.0f ms goal%n", load.p99Millis(), pulsesOk ? "meets" : "misses",
                GOAL_P99_MILLIS);
        out.flush();
        return allStored && heapOk && pulsesOk;
    }

    private static double ratio(double a, double b) {
        return b <= 0 ? 0 : a / b;
    }
}
