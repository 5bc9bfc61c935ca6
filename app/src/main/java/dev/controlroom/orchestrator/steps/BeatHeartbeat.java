package dev.controlroom.orchestrator.steps;

import dev.controlroom.orchestrator.loop.EngineLoop;
import dev.controlroom.orchestrator.state.Changes;
import dev.controlroom.orchestrator.state.EngineState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Says in the database, every few seconds, that this process still runs its runs: another process can tell a crash from a busy owner. */
public final class BeatHeartbeat {
    /** How often the owner says it is alive. */
    public static final Duration EVERY = Duration.ofSeconds(5);
    /** An owner that has not beaten for this long is taken for dead. */
    public static final Duration OWNER_SILENCE = Duration.ofSeconds(30);
    private final EngineState state;
    private final EngineLoop loop;
    private final Clock clock;
    private Instant last = Instant.EPOCH;

    public BeatHeartbeat(EngineState state, EngineLoop loop, Clock clock) {
        this.state = state;
        this.loop = loop;
        this.clock = clock;
    }

    public void run() {
        Instant now = clock.instant();
        if (Duration.between(last, now).compareTo(EVERY) < 0 || state.runIds().isEmpty()) {
            return;
        }
        last = now;
        Changes c = new Changes();
        state.runIds().forEach(id -> c.op(tx -> tx.heartbeat(id)));
        loop.commit(c);
    }
}
