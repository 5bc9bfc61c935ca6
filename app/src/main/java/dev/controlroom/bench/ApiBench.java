package dev.controlroom.bench;

import dev.controlroom.api.ApiServer;
import dev.controlroom.api.ApiToken;
import dev.controlroom.domain.RunSummary;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bench api}: the local API under load during a run. Readers (HTTP clients asking for tasks
 * and events, each pausing a moment between requests) and event-stream subscribers run against
 * the API while the engine runs a chain of shell tasks; their latency is set beside the same
 * requests on the idle engine, and the engine's dispatch (one task's exit to the next one's start)
 * beside the same chain run without clients — all in the same run, so the ratios survive a noisy
 * machine. Every subscriber must receive every event of the run once and in order.
 */
final class ApiBench {
    private final PrintWriter out;
    private final Path workDir;
    private final EngineBench engineBench;

    ApiBench(PrintWriter out, Path workDir) {
        this.out = out;
        this.workDir = workDir;
        this.engineBench = new EngineBench(out, workDir);
    }

    void run(int tasks, int clients, int streams, long thinkMillis, int idleSeconds) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("api"));
        engineBench.warmUp(dir);
        HeapProbe heap = new HeapProbe();
        heap.start();
        List<Long> quietGaps;
        try (EngineBench.Rig rig = new EngineBench.Rig(Files.createDirectories(dir.resolve("quiet")), 1)) {
            quietGaps = EngineBench.gaps(rig, rig.run(EngineBench.chain("bench-api", "t", tasks), 1), tasks);
        }
        List<Long> idle = new CopyOnWriteArrayList<>();
        List<Long> loaded = new CopyOnWriteArrayList<>();
        List<List<Long>> received = new ArrayList<>();
        List<Long> busyGaps;
        long storedEvents;
        String runState;
        try (EngineBench.Rig rig = new EngineBench.Rig(Files.createDirectories(dir.resolve("loaded")), 1);
             ApiServer api = ApiServer.start(rig.store, rig.orchestrator, ApiToken.readOrCreate(rig.store.file()), 0)) {
            String token = Files.readString(ApiToken.fileBeside(rig.store.file())).strip();
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            // The idle engine: the same readers, no run.
            readers(http, api.address(), token, clients, thinkMillis, idle, Duration.ofSeconds(idleSeconds));
            long before = rig.store.events().latest(1).stream().mapToLong(e -> e.id()).findFirst().orElse(0L);
            ExecutorService subscribers = Executors.newVirtualThreadPerTaskExecutor();
            for (int s = 0; s < streams; s++) {
                List<Long> ids = new CopyOnWriteArrayList<>();
                received.add(ids);
                subscribers.execute(() -> subscribe(http, api.address(), token, before, ids));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService load = Executors.newVirtualThreadPerTaskExecutor();
            for (int c = 0; c < clients; c++) {
                int n = c;
                load.execute(() -> read(http, api.address(), token, n, thinkMillis, loaded, running));
            }
            RunSummary end = rig.run(EngineBench.chain("bench-api", "t", tasks), 1);
            running.set(false);
            load.shutdown();
            busyGaps = EngineBench.gaps(rig, end, tasks);
            runState = end.state().id();
            List<Long> stored = rig.store.events().after(before, 1_000_000).stream().map(e -> e.id()).toList();
            storedEvents = stored.size();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && received.stream().anyMatch(r -> r.size() < stored.size())) {
                Thread.sleep(100);
            }
            subscribers.shutdownNow();
            heap.stop();
            report(tasks, clients, streams, thinkMillis, runState, idle, loaded, quietGaps, busyGaps, stored, received, heap);
            http.close();
        }
    }

    private void report(int tasks, int clients, int streams, long think, String state, List<Long> idle, List<Long> loaded, List<Long> quiet,
                        List<Long> busy, List<Long> stored, List<List<Long>> received, HeapProbe heap) {
        out.printf("bench api: %d HTTP readers (GET tasks / events, %d ms between requests) and %d event-stream subscribers during a chain of"
                + " %d shell tasks (run %s)%n", clients, think, streams, tasks, state);
        out.printf("%-44s %9s %9s %9s %12s%n", "measure", "count", "p50 ms", "p99 ms", "ratio (p99)");
        line("GET on the idle engine (baseline)", idle, idle);
        line("GET during the run", loaded, idle);
        line("dispatch exit -> next start, no clients", quiet, quiet);
        line("dispatch with clients (goal <= 1.20x)", busy, quiet);
        int lost = 0;
        boolean ordered = true;
        for (List<Long> r : received) {
            List<Long> got = List.copyOf(r);
            lost += (int) stored.stream().filter(id -> !got.contains(id)).count();
            ordered &= got.equals(got.stream().sorted().distinct().toList());
        }
        out.printf("events stored in the run: %,d; each of %d subscribers received %s; lost %d; every stream in order and without repeats: %s%n",
                stored.size(), streams, received.stream().map(r -> String.valueOf(r.size())).distinct().toList(), lost, ordered ? "yes" : "NO");
        out.printf("peak heap used: %.0f MB%n", heap.peakBytes() / 1e6);
        out.flush();
    }

    private void line(String name, List<Long> values, List<Long> base) {
        long p50 = EngineBench.percentile(values, 50);
        long p99 = EngineBench.percentile(values, 99);
        out.printf(Locale.ROOT, "%-44s %9d %9.2f %9.2f %11.2fx%n", name, values.size(), p50 / 1e6, p99 / 1e6,
                (double) p99 / EngineBench.percentile(base, 99));
    }

    private static void readers(HttpClient http, String address, String token, int clients, long think, List<Long> into, Duration length)
            throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        for (int c = 0; c < clients; c++) {
            int n = c;
            pool.execute(() -> read(http, address, token, n, think, into, running));
        }
        Thread.sleep(length.toMillis());
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** One reader: tasks and events in turn, as a dashboard polls them. */
    private static void read(HttpClient http, String address, String token, int n, long think, List<Long> into, AtomicBoolean running) {
        String[] paths = {"/api/tasks?limit=50", "/api/events?limit=50", "/api/runs?limit=5"};
        int i = n;
        while (running.get()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(address + paths[i++ % paths.length]))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    into.add(System.nanoTime() - t0);
                }
                Thread.sleep(think);
            } catch (Exception e) {
                return;
            }
        }
    }

    /** One subscriber of the event stream from {@code after}: the ids it receives, in order. */
    private static void subscribe(HttpClient http, String address, String token, long after, List<Long> ids) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/api/events/stream"))
                .header("Authorization", "Bearer " + token).header("Last-Event-ID", Long.toString(after)).build();
        try {
            http.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(l -> {
                if (l.startsWith("id:")) {
                    ids.add(Long.parseLong(l.substring(3).strip()));
                }
            });
        } catch (Exception e) {
            // closed at the end of the benchmark
        }
    }

}
