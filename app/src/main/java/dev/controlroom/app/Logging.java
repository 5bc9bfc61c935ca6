package dev.controlroom.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Logging for every door: warnings and errors to stderr (libraries' start-up chatter stays out of
 * the way of CLI output), everything from INFO up to a rotating log file in the data folder.
 */
public final class Logging {
    /** JUL holds loggers weakly: a level set on a logger nobody references is lost at the next GC. */
    private static final java.util.List<Logger> CONFIGURED = new java.util.ArrayList<>();

    private Logging() {
    }

    private static void level(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED.add(logger);
    }

    /** Must run before jOOQ or Flyway classes load. */
    public static void configure(Path logFolder, boolean verbose) {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(verbose ? Level.INFO : Level.WARNING);
        console.setFormatter(new SimpleFormatter());
        root.addHandler(console);
        // Flyway reports every migration step at INFO; jOOQ its dialect check. Neither helps a user.
        level("org.flywaydb", verbose ? Level.INFO : Level.WARNING);
        level("org.jooq", Level.WARNING);
        // JavaFX on the class path (our supported set-up outside jpackage) warns about it at every start.
        level("javafx", Level.SEVERE);
        level("javafx.css", Level.WARNING);
        level("javafx.scene", Level.WARNING);
        try {
            dev.controlroom.domain.PrivateFiles.createFolders(logFolder);
            dev.controlroom.domain.PrivateFiles.restrict(logFolder);
            Handler file = new FileHandler(logFolder.resolve("control-room-%g.log").toString(), 5_000_000, 3, true);
            file.setFormatter(new SimpleFormatter());
            file.setLevel(Level.INFO);
            root.addHandler(file);
        } catch (IOException | RuntimeException e) {
            root.warning("cannot write the log file in " + logFolder + ": " + e.getMessage() + "; logging to the console only");
        }
    }
}
