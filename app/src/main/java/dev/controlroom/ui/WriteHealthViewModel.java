package dev.controlroom.ui;

import dev.controlroom.store.WriteHealth;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the database takes writes, for the window's banner: "disk full" or "database busy" while
 * it refuses them, with how much output waits in memory, and nothing once it takes them again. The
 * store's news arrives on writing threads, many times a second while output is held; the latest is
 * kept and shown once per pass of the FX thread.
 */
public final class WriteHealthViewModel {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Executor fx;
    private final ZoneId zone;
    private final AtomicReference<WriteHealth.State> latest = new AtomicReference<>(WriteHealth.State.WRITING);
    private final AtomicBoolean posted = new AtomicBoolean();
    private final ReadOnlyObjectWrapper<WriteHealth.Condition> condition = new ReadOnlyObjectWrapper<>(WriteHealth.Condition.WRITING);
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");

    public WriteHealthViewModel(WriteHealth health, Executor fx, ZoneId zone) {
        this.fx = fx;
        this.zone = zone;
        health.addListener(this::heard);
        heard(health.state());
    }

    private void heard(WriteHealth.State state) {
        latest.set(state);
        if (posted.compareAndSet(false, true)) {
            fx.execute(() -> {
                posted.set(false);
                show(latest.get());
            });
        }
    }

    private void show(WriteHealth.State s) {
        condition.set(s.condition());
        text.set(describe(s, zone));
    }

    /** What the banner says; empty while the database takes writes. */
    static String describe(WriteHealth.State s, ZoneId zone) {
        String since = s.since().map(t -> " (since " + TIME.format(t.atZone(zone)) + ")").orElse("");
        String held = "output is held in memory (" + WriteHealth.megabytes(s.heldBytes()) + ")";
        return switch (s.condition()) {
            case WRITING -> "";
            case DISK_FULL -> "Disk full: " + held + "; runs continue when space is freed" + since;
            case LOCKED -> "Database busy (locked by another program): " + held + "; runs continue when it lets go" + since;
            case FAILING -> "Database cannot be written (I/O error): " + held + "; runs continue when it can write again" + since;
        };
    }

    public ReadOnlyObjectProperty<WriteHealth.Condition> conditionProperty() {
        return condition.getReadOnlyProperty();
    }

    /** The banner's words; empty when there is nothing to say. */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }
}
