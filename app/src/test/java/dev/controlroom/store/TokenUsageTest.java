package dev.controlroom.store;

import dev.controlroom.domain.Price;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tokens as stored in a real SQLite file and summed back per task, session and agent. */
class TokenUsageTest {
    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = StoreTestSupport.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void oneModelReportedUnderItsContextModeAndItsPlainNameIsStoredAndSummedUnderOneName() {
        Map<String, String> sessions = TokenRuns.store(store, "r-1", List.of(TokenRuns.Used.of("a", "claude-opus-4-8[1m]", 100, 10),
                TokenRuns.Used.of("a", "Claude-Opus-4-8", 50, 5)));
        long taskId = store.runs().tasks("r-1").getFirst().taskId();
        TokenRuns.storeAsPrinted(store, "r-1", sessions.get("a"), taskId, "claude-opus-4-8[1m]", 1000);

        Map<String, Price.Tokens> perModel = Map.of("claude-opus-4-8", new Price.Tokens(1150, 15, 0, 0));
        assertEquals(Map.of(taskId, perModel), store.runs().tokens("r-1"));
        assertEquals(Map.of(sessions.get("a"), perModel), store.runs().tokensBySession("r-1"));
        assertEquals(List.of(perModel), List.copyOf(store.agents().tokensSince(java.time.Instant.EPOCH).values()));
        assertEquals(List.of("claude-opus-4-8", "claude-opus-4-8[1m]"), store.database().read(dsl -> dsl.selectDistinct(
                dev.controlroom.store.schema.Tables.TOKEN_USAGE.MODEL).from(dev.controlroom.store.schema.Tables.TOKEN_USAGE)
                .orderBy(dev.controlroom.store.schema.Tables.TOKEN_USAGE.MODEL).fetch(dev.controlroom.store.schema.Tables.TOKEN_USAGE.MODEL)),
                "new rows are stored under the one name; the old row keeps its text and is summed with them");
    }
}
