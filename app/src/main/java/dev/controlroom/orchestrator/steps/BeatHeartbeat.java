package dev.controlroom.orchestrator.steps;

import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Says in the database, every few seconds, that this engine still runs on it (its lease) and still
 * runs its runs: another process can tell a crash from a busy owner.
 */
public final class BeatHeartbeat {
    /** How often the owner says it is alive. */
    public static final Duration EVERY = Duration.ofSeconds(5);
    /** An owner that has not beaten for this long is taken for dead. */
    public static final Duration OWNER_SILENCE = Duration.ofSeconds(30);
    private final EngineState state;
    private final EngineLoop loop;
    private final Clock clock;
    private Instant last = Instant.EPOCH;

    private final dev.controlroom.orchestrator.port.RunLedger ledger;

    public BeatHeartbeat(EngineState state, dev.controlroom.orchestrator.port.RunLedger ledger, EngineLoop loop, Clock clock) {
        this.ledger = ledger;
        this.state = state;
        this.loop = loop;
        this.clock = clock;
    }

    public void run() {
        Instant now = clock.instant();
        if (Duration.between(last, now).compareTo(EVERY) < 0) {
            return;
        }
        last = now;
        try {
            ledger.renewEngineLease();
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(BeatHeartbeat.class.getName()).fine("the engine's lease was not renewed this time: " + e.getMessage());
        }
        if (state.runIds().isEmpty()) {
            return;
        }
        Changes c = new Changes();
        state.runIds().forEach(id -> c.op(tx -> tx.heartbeat(id)));
        loop.commit(c);
    }
}
