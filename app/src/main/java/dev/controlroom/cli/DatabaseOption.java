package dev.controlroom.cli;

import dev.controlroom.app.DataPaths;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --db} option every subcommand shares. */
public final class DatabaseOption {
    @Option(names = "--db", paramLabel = "FILE", description = "The SQLite database (default: ${DEFAULT-VALUE}).")
    Path database = DataPaths.defaultDatabase();

    @Option(names = "--verbose", description = "Also print informational log messages to stderr.")
    boolean verbose;

    public Path database() {
        return database;
    }

    Path logFolder() {
        Path parent = database.toAbsolutePath().getParent();
        return (parent == null ? DataPaths.defaultDataFolder() : parent).resolve("logs");
    }
}
