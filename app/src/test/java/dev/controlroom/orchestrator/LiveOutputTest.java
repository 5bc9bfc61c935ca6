package dev.controlroom.orchestrator;

import dev.controlroom.orchestrator.port.LiveOutput;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveOutputTest {

    /** Collects what a subscription hears, checking the offsets join up. */
    private static final class Collector implements LiveOutput.Listener {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch ended = new CountDownLatch(1);
        long next;
        boolean gap;

        @Override
        public synchronized void onOutput(long offset, byte[] chunk) {
            if (offset != next) {
                gap = true;
            }
            bytes.writeBytes(chunk);
            next = offset + chunk.length;
        }

        @Override
        public void onEnd() {
            ended.countDown();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static String sessionOf(EngineHarness h, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<SessionRecord> sessions = h.store.runs().sessions(runId);
            if (!sessions.isEmpty() && h.orchestrator.isRunning(sessions.getFirst().id()).get(5, TimeUnit.SECONDS)) {
                return sessions.getFirst().id();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the session did not start");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void keysTypedIntoARunningSessionEchoBackLiveAndTheLiveBytesEqualTheStoredOnes(@TempDir Path dir) throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: live
                    tasks:
                      - { id: echo, command: 'printf "ready\\n"; read line; printf "got:%s\\n" "$line"; printf "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ done\\n"' }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            String session = sessionOf(h, runId);
            Collector seen = new Collector();
            try (LiveOutput.Subscription ignored = h.orchestrator.watchOutput(session, 0, seen)) {
                waitFor(() -> seen.text().contains("ready"), "the first line");
                h.orchestrator.typeInto(session, "hello\r").get(5, TimeUnit.SECONDS);
                waitFor(() -> seen.text().contains("got:hello"), "the echo of the typed line");
                assertTrue(seen.ended.await(10, TimeUnit.SECONDS), "the end of the session is told");
            }
            h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);

            byte[] stored = h.store.output().raw(session);
            assertArrayEquals(stored, seen.bytes.toByteArray(), "the live view sees exactly what is stored");
            assertFalse(seen.gap);
            assertFalse(seen.text().contains("abcdefghijklmnopqrstuvwxyz0123456789"), "secrets are redacted live as in the database");
            assertTrue(seen.text().contains("done"));
        }
    }

    @Test
    void aViewJoiningLateGetsWhatWasPrintedAfterTheOffsetItReadUpTo(@TempDir Path dir) throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: late
                    tasks:
                      - { id: t, command: 'for i in 1 2 3 4 5; do echo "line $i"; done; read x; echo "after $x"' }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            String session = sessionOf(h, runId);
            Collector first = new Collector();
            try (LiveOutput.Subscription s = h.orchestrator.watchOutput(session, 0, first)) {
                waitFor(() -> first.text().contains("line 5"), "the first lines");
            }
            long from = first.next - 8; // as if the database held all but the last line
            Collector late = new Collector();
            late.next = from;
            try (LiveOutput.Subscription s = h.orchestrator.watchOutput(session, from, late)) {
                assertEquals("line 5\r\n", late.text());
                h.orchestrator.typeInto(session, "x\r").get(5, TimeUnit.SECONDS);
                waitFor(() -> late.text().contains("after x"), "new output after joining");
                assertFalse(late.gap);
            }
            h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);
            assertThrows(java.util.concurrent.ExecutionException.class, () -> h.orchestrator.typeInto(session, "y").get(5, TimeUnit.SECONDS),
                    "a finished session takes no keys");
        }
    }

    @Test
    void terminatingASessionEndsItsProcess(@TempDir Path dir) throws Exception {
        try (EngineHarness h = new EngineHarness(dir)) {
            PlanSummary plan = h.plan("""
                    name: endless
                    tasks:
                      - { id: t, command: 'echo started; sleep 600' }
                    """);
            String runId = h.start(plan, 1, WaveMode.DATAFLOW);
            String session = sessionOf(h, runId);
            h.orchestrator.terminateSession(session).get(5, TimeUnit.SECONDS);
            h.orchestrator.finished(runId).get(30, TimeUnit.SECONDS);
            assertFalse(h.orchestrator.isRunning(session).get(5, TimeUnit.SECONDS));
        }
    }
}
