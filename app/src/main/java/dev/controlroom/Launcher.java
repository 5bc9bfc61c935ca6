package dev.controlroom;

import dev.controlroom.app.AppInfo;
import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.DataPaths;
import dev.controlroom.app.Logging;
import dev.controlroom.cli.AgentsCommand;
import dev.controlroom.cli.BenchCommand;
import dev.controlroom.cli.PricesCommand;
import dev.controlroom.cli.SettingsCommand;
import dev.controlroom.cli.ResumeCommand;
import dev.controlroom.cli.RunCommand;
import dev.controlroom.cli.StatusCommand;
import dev.controlroom.cli.TasksCommand;
import dev.controlroom.cli.ValidateCommand;
import dev.controlroom.store.StoreException;
import dev.controlroom.ui.DesktopApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The entry point. Without a subcommand it opens the desktop window; subcommands are the headless
 * doors into the same services. A plain class, not a JavaFX Application, so it runs with JavaFX on
 * the class path.
 */
@Command(name = "control-room", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
        description = "Run a team of AI coding agents from one window.%n"
                + "Without a command, opens the desktop window on the default database.",
        sortOptions = false,
        subcommands = {RunCommand.class, ValidateCommand.class, ResumeCommand.class, StatusCommand.class, TasksCommand.class,
                AgentsCommand.class, PricesCommand.class, SettingsCommand.class, BenchCommand.class})
public final class Launcher implements Callable<Integer> {

    @Option(names = "--db", paramLabel = "FILE",
            description = "The SQLite database to use (default: ${DEFAULT-VALUE}).")
    Path database = DataPaths.defaultDatabase();

    @Option(names = "--verbose", description = "Print informational log messages to stderr too.")
    boolean verbose;

    @Option(names = "--smoke", description = "Open the window, exit 0 once the first frame with data is shown.")
    boolean smoke;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Launcher());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
            return e instanceof StoreException ? 3 : 1;
        });
        return cli;
    }

    @Override
    public Integer call() {
        Logging.configure(logFolder(), verbose);
        try (ControlRoom room = ControlRoom.open(database).closeOnShutdown()) {
            // Runs left unfinished by a crash or a closed window continue now.
            room.orchestrator().resumeAbandoned();
            return new DesktopApp(room.store(), room.orchestrator(), room.background(), AppInfo.version())
                    .withReview(room.review(), room.git()).run(smoke, System.out);
        }
    }

    Path logFolder() {
        Path parent = database.toAbsolutePath().getParent();
        return (parent == null ? DataPaths.defaultDataFolder() : parent).resolve("logs");
    }

    /** Prints the version for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {AppInfo.NAME + " " + AppInfo.version(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "") + ")"};
        }
    }
}
