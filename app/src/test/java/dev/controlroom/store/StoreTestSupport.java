package dev.controlroom.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Opens real SQLite files in a test's temp folder. */
public final class StoreTestSupport {
    public static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    private StoreTestSupport() {
    }

    public static Store open(Path dir) {
        return Store.open(dir.resolve("test.db"), FIXED);
    }
}
