package dev.controlroom.cli;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.Logging;
import dev.controlroom.store.Store;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that reads or edits the database without running anything: logging set up, the store opened and closed. */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    DatabaseOption db = new DatabaseOption();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** @return the exit code */
    abstract int run(Store store, PrintWriter out, PrintWriter err);

    @Override
    public final Integer call() {
        Logging.configure(db.logFolder(), db.verbose);
        try (Store store = ControlRoom.openStore(db.database())) {
            return run(store, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
