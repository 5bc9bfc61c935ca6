package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.Event;
import dev.controlroom.orchestrator.port.RunLedger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The changes of one decision: applied to the model as they are made, stored together, announced after. */
public final class Changes {
    private final List<Consumer<RunLedger.Tx>> ops = new ArrayList<>();

    public void op(Consumer<RunLedger.Tx> op) {
        ops.add(op);
    }

    public void event(Event e) {
        ops.add(tx -> tx.event(e));
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    public void applyTo(RunLedger.Tx tx) {
        ops.forEach(op -> op.accept(tx));
    }
}
