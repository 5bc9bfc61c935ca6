package dev.controlroom.app;

import dev.controlroom.store.Store;
import dev.controlroom.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One engine per database: caps hold only if one engine decides. */
class EngineLeaseTest {
    @TempDir
    Path dir;

    private EngineAssembly engine(Store store) {
        return new EngineAssembly(store, Clock.systemUTC(), dir, UnaryOperator.identity(), UnaryOperator.identity());
    }

    @Test
    void aSecondEngineOnTheSameDatabaseIsRefusedNamingTheOneThatRunsAndMayStartOnceItCloses() {
        try (Store store = Store.open(dir.resolve("cr.db"), Clock.systemUTC())) {
            EngineAssembly first = engine(store);
            StoreException refused = assertThrows(StoreException.class, () -> engine(store));
            assertTrue(refused.getMessage().contains("is in use by Control Room process " + ProcessHandle.current().pid()), refused.getMessage());
            assertTrue(refused.getMessage().contains("close it there, or use another --db"), refused.getMessage());

            first.close();
            engine(store).close();
        }
    }

    @Test
    void theLeaseOfAProcessThatIsGoneIsTakenOver() {
        Path db = dir.resolve("cr.db");
        long gone = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 10_000;
        try (Store store = Store.open(db, Clock.systemUTC())) {
            store.leases().acquire("crashed", gone, EngineAssembly.hostName(), h -> false);
            engine(store).close();
            assertTrue(store.leases().holder().isEmpty(), "released at close");
        }
    }

    @Test
    void aLeaseNotRenewedForLongIsTakenOverEvenWhenItsPidIsInUse() {
        Path db = dir.resolve("cr.db");
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(5)), ZoneOffset.UTC);
        try (Store old = Store.open(db, past)) {
            old.leases().acquire("stale", ProcessHandle.current().pid(), EngineAssembly.hostName(), h -> false);
        }
        try (Store store = Store.open(db, Clock.systemUTC())) {
            EngineAssembly engine = engine(store);
            assertEquals(ProcessHandle.current().pid(), store.leases().holder().orElseThrow().pid());
            assertTrue(!store.leases().holder().orElseThrow().token().equals("stale"));
            engine.close();
        }
    }
}
