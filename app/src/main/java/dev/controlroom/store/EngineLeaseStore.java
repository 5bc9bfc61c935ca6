package dev.controlroom.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.controlroom.store.schema.Tables.ENGINE_LEASE;

/** The one engine of a database: who holds the lease, taking it, renewing it, letting it go. */
public final class EngineLeaseStore {
    /** A holder that has not renewed for this long is taken for dead. */
    public static final Duration SILENCE = Duration.ofSeconds(30);
    private final Database db;
    private final Clock clock;

    EngineLeaseStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Who holds the lease, and when they took and last renewed it. */
    public record Holder(String token, long pid, String host, Instant since, Instant renewed) {
    }

    /**
     * Takes the lease for the engine {@code token}, unless a live engine holds it: then returns that one.
     *
     * @param alive whether a holder still runs (its process is there, it renewed lately)
     */
    public Optional<Holder> acquire(String token, long pid, String host, Predicate<Holder> alive) {
        long now = clock.millis();
        return db.write(dsl -> {
            Optional<Holder> current = dsl.selectFrom(ENGINE_LEASE).where(ENGINE_LEASE.ID.eq(1L)).fetchOptional()
                    .map(r -> new Holder(r.getToken(), r.getOwnerPid(), r.getOwnerHost(), Instant.ofEpochMilli(r.getAcquiredAt()),
                            Instant.ofEpochMilli(r.getRenewedAt())));
            if (current.isPresent() && !current.get().token().equals(token) && alive.test(current.get())) {
                return current;
            }
            dsl.insertInto(ENGINE_LEASE).set(ENGINE_LEASE.ID, 1L).set(ENGINE_LEASE.TOKEN, token).set(ENGINE_LEASE.OWNER_PID, pid)
                    .set(ENGINE_LEASE.OWNER_HOST, host).set(ENGINE_LEASE.ACQUIRED_AT, now).set(ENGINE_LEASE.RENEWED_AT, now)
                    .onConflict(ENGINE_LEASE.ID).doUpdate()
                    .set(ENGINE_LEASE.TOKEN, token).set(ENGINE_LEASE.OWNER_PID, pid).set(ENGINE_LEASE.OWNER_HOST, host)
                    .set(ENGINE_LEASE.ACQUIRED_AT, now).set(ENGINE_LEASE.RENEWED_AT, now)
                    .execute();
            return Optional.<Holder>empty();
        });
    }

    /** Says the holder is still there; nothing when the lease has passed to another engine. */
    public void renew(String token) {
        long now = clock.millis();
        db.write(dsl -> dsl.update(ENGINE_LEASE).set(ENGINE_LEASE.RENEWED_AT, now).where(ENGINE_LEASE.TOKEN.eq(token)).execute());
    }

    /** Lets the lease go, when this engine holds it. */
    public void release(String token) {
        db.write(dsl -> dsl.deleteFrom(ENGINE_LEASE).where(ENGINE_LEASE.TOKEN.eq(token)).execute());
    }

    public Optional<Holder> holder() {
        return db.read(dsl -> dsl.selectFrom(ENGINE_LEASE).where(ENGINE_LEASE.ID.eq(1L)).fetchOptional()
                .map(r -> new Holder(r.getToken(), r.getOwnerPid(), r.getOwnerHost(), Instant.ofEpochMilli(r.getAcquiredAt()),
                        Instant.ofEpochMilli(r.getRenewedAt()))));
    }
}
