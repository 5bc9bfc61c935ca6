package dev.controlroom.agent;

import dev.controlroom.domain.OutputBatch;
import dev.controlroom.store.StoreException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputPersisterTest {

    @Test
    void outputRefusedByAFullDiskIsKeptAndStoredOnceTheDiskHasRoomAgain() {
        List<OutputBatch> stored = new ArrayList<>();
        AtomicInteger refusals = new AtomicInteger(2);
        ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor();
        try (OutputPersister persister = new OutputPersister(batches -> {
            if (refusals.getAndDecrement() > 0) {
                throw new StoreException("database full", new SQLiteException("disk full", SQLiteErrorCode.SQLITE_FULL));
            }
            stored.addAll(batches);
        }, idle, 3_600_000)) {
            OutputRecorder recorder = new OutputRecorder("s1", Clock.systemUTC(), line -> { });
            persister.register(recorder);
            byte[] first = "one\ntwo\n".getBytes(StandardCharsets.UTF_8);
            recorder.onOutput(first, first.length);

            assertThrows(StoreException.class, persister::flush);
            byte[] second = "three\n".getBytes(StandardCharsets.UTF_8);
            recorder.onOutput(second, second.length);
            assertThrows(StoreException.class, persister::flush);
            persister.flush();

            List<String> lines = stored.stream().flatMap(b -> b.lines().stream()).map(OutputBatch.Line::text).toList();
            assertEquals(List.of("one", "two", "three"), lines, "nothing lost, nothing twice, in order");
        } finally {
            idle.shutdownNow();
        }
    }

    @Test
    void outputThatKeepsComingWhileTheDatabaseRefusesMakesTheReaderWaitInsteadOfGrowingMemoryThenIsStoredWhole() throws Exception {
        List<OutputBatch> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean refusing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong mostHeld = new java.util.concurrent.atomic.AtomicLong();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        int lineBytes = 64;
        int lines = 3 * OutputRecorder.MAX_PENDING_BYTES / lineBytes;
        try (OutputPersister persister = new OutputPersister(batches -> {
            if (refusing.get()) {
                throw new StoreException("database full", new SQLiteException("disk full", SQLiteErrorCode.SQLITE_FULL));
            }
            stored.addAll(batches);
        }, bytes -> mostHeld.accumulateAndGet(bytes, Math::max), writer, 10)) {
            OutputRecorder recorder = new OutputRecorder("s1", Clock.systemUTC(), line -> { });
            persister.register(recorder);
            Thread agent = Thread.ofPlatform().name("agent-output").start(() -> {
                StringBuilder block = new StringBuilder();
                for (int i = 0; i < lines; i++) {
                    block.append(String.format("%063d%n", i));
                    if (block.length() >= 16 * 1024) {
                        byte[] bytes = block.toString().getBytes(StandardCharsets.UTF_8);
                        recorder.onOutput(bytes, bytes.length);
                        block.setLength(0);
                    }
                }
                byte[] bytes = block.toString().getBytes(StandardCharsets.UTF_8);
                recorder.onOutput(bytes, bytes.length);
            });
            Thread.sleep(1_500);

            long bound = 2L * (OutputRecorder.MAX_PENDING_BYTES + 16 * 1024);
            assertTrue(agent.isAlive(), "the agent's output waits while the database refuses it");
            assertTrue(recorder.bytesSeen() <= bound, "read no more than the bound: " + recorder.bytesSeen() + " > " + bound);
            assertTrue(mostHeld.get() > OutputRecorder.MAX_PENDING_BYTES && mostHeld.get() <= bound,
                    "held in memory, and said so: " + mostHeld.get());

            refusing.set(false);
            agent.join(30_000);
            persister.finish(recorder);
            List<OutputBatch.Line> all = stored.stream().flatMap(b -> b.lines().stream()).toList();
            assertEquals(lines, all.size(), "every line stored once");
            for (int i = 0; i < lines; i++) {
                assertEquals(i, all.get(i).lineNo());
                assertEquals(String.format("%063d", i), all.get(i).text());
            }
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void outputTheDatabaseWillNeverTakeIsReportedAndDoesNotBlockLaterOutput() {
        List<OutputBatch> stored = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor();
        try (OutputPersister persister = new OutputPersister(batches -> {
            if (calls.getAndIncrement() == 0) {
                throw new StoreException("refused", new SQLiteException("constraint", SQLiteErrorCode.SQLITE_CONSTRAINT));
            }
            stored.addAll(batches);
        }, idle, 3_600_000)) {
            OutputRecorder recorder = new OutputRecorder("s1", Clock.systemUTC(), line -> { });
            persister.register(recorder);
            byte[] first = "bad\n".getBytes(StandardCharsets.UTF_8);
            recorder.onOutput(first, first.length);
            persister.flush();
            byte[] second = "good\n".getBytes(StandardCharsets.UTF_8);
            recorder.onOutput(second, second.length);
            persister.flush();

            assertEquals(List.of("good"), stored.stream().flatMap(b -> b.lines().stream()).map(OutputBatch.Line::text).toList());
        } finally {
            idle.shutdownNow();
        }
    }
}
