package dev.controlroom.cli;

import dev.controlroom.app.EngineAssembly;
import dev.controlroom.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code settings}: read or set the application's settings. */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "Show the settings, or set one: control-room settings KEY VALUE.%n"
                + "Known keys: caps.profile.<profile> (at most N sessions of that profile at once, e.g. caps.profile.claude 2), "
                + "ui.theme (dark or light).")
public final class SettingsCommand extends StoreCommand {
    @Parameters(paramLabel = "KEY", arity = "0..1", description = "The setting to show or set.")
    String key;

    @Parameters(paramLabel = "VALUE", arity = "0..1", description = "Its new value.")
    String value;

    @Override
    int run(Store store, PrintWriter out, PrintWriter err) {
        if (key != null && key.startsWith(EngineAssembly.PROFILE_CAP_PREFIX) && value != null && !value.strip().matches("[1-9]\\d*")) {
            err.println("error: " + key + " must be a whole number of at least 1, not '" + value + "'");
            return 2;
        }
        if (key != null && value != null) {
            store.settings().put(key, value.strip());
        }
        Table table = new Table("KEY", "VALUE");
        store.settings().withPrefix(key == null ? "" : key).forEach((k, v) -> table.row((key == null ? "" : key) + k, v));
        table.print(out);
        return 0;
    }
}
