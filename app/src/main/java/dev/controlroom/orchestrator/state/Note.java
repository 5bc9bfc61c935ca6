package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.EventType;
import dev.controlroom.domain.Severity;

/** What a state change tells the event log: an event of its own, or nothing (the change is still stored). */
public sealed interface Note {
    Note QUIET = new Quiet();

    static Note of(EventType type, Severity severity, String message) {
        return new Said(type, severity, message);
    }

    /** A change that needs no event of its own (another event of the same decision says it). */
    record Quiet() implements Note {
    }

    record Said(EventType type, Severity severity, String message) implements Note {
    }
}
