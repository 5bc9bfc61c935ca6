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
