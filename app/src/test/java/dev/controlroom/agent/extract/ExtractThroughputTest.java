package dev.controlroom.agent.extract;

import dev.controlroom.domain.Redactor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every output line goes through the redactor and a parser on the reader thread: a plain log must flow at disk speed. */
class ExtractThroughputTest {
    private static final int LINES = 500_000;

    @Test
    void halfAMillionTypicalLogLinesAreRedactedAndParsedWithinSeconds() {
        List<String> log = typicalLog(20_000);
        run(log, 100_000); // let the JIT compile the path first

        long bytes = log.stream().mapToLong(String::length).sum() * LINES / log.size();
        long start = System.nanoTime();
        int events = run(log, LINES);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        double seconds = took.toNanos() / 1e9;
        System.out.printf("extract throughput: %,d lines in %d ms = %,.0f lines/s, %.0f MB/s, %d events%n",
                LINES, took.toMillis(), LINES / seconds, bytes / seconds / 1e6, events);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
        assertTrue(events > 0, "the log has a few errors and test results in it");
    }

    private static int run(List<String> log, int lines) {
        OutputParser parser = Parsers.forProfile("shell", false, Samples.CLOCK);
        int events = 0;
        for (int i = 0; i < lines; i++) {
            events += parser.onLine(Redactor.redact(log.get(i % log.size()))).size();
        }
        return events + parser.onEnd().size();
    }

    /** ~100-character lines as a service and its build print them: mostly INFO/DEBUG, a few warnings, rarely an error. */
    private static List<String> typicalLog(int size) {
        Random random = new Random(42);
        String[] loggers = {"d.e.OrderService", "d.e.http.RequestLog", "o.h.SQL", "d.e.cache.Evictor", "d.e.Metrics"};
        String[] threads = {"main", "worker-3", "http-nio-8080-exec-7", "scheduler-1"};
        List<String> lines = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String prefix = String.format("2026-11-03 10:%02d:%02d.%03d %s [%s] %s - ", random.nextInt(60), random.nextInt(60),
                    random.nextInt(1000), i % 50 == 0 ? "WARN " : i % 7 == 0 ? "DEBUG" : "INFO ", threads[random.nextInt(threads.length)],
                    loggers[random.nextInt(loggers.length)]);
            String message = switch (random.nextInt(10)) {
                case 0 -> "GET /api/orders/" + random.nextInt(100_000) + " 200 in " + random.nextInt(300) + "ms";
                case 1 -> "flushed batch error_count=0 retries=" + random.nextInt(3) + " size=" + random.nextInt(500);
                case 2 -> "select o.id, o.total from orders o where o.customer_id=? limit 50";
                case 3 -> "evicted " + random.nextInt(1000) + " entries from cache key space orders:v2";
                case 4 -> "processed request id=" + Long.toHexString(random.nextLong()) + " for tenant acme";
                case 5 -> "loading configuration from /etc/orders/application.yaml (profile=prod)";
                case 6 -> "token bucket refilled: 100 permits, next refill in 1000 ms";
                case 7 -> "Downloaded from central: https://repo.maven.apache.org/maven2/org/x/y/1.2/y-1.2.jar";
                case 8 -> "[INFO] Compiling " + random.nextInt(200) + " source files with javac [debug release 25] to target/classes";
                default -> "heartbeat ok; queue depth " + random.nextInt(20) + ", lag " + random.nextInt(50) + " ms";
            };
            lines.add(i % 1_000 == 0 ? "ERROR: connection to db:5432 refused (attempt " + i + ")"
                    : i % 1_000 == 500 ? "Tests run: 12, Failures: 0, Errors: 0, Skipped: 1" : prefix + message);
        }
        return lines;
    }
}
