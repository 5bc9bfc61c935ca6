package dev.controlroom;

import dev.controlroom.app.AppInfo;
import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.DataPaths;
import dev.controlroom.app.Logging;
import dev.controlroom.app.StartupMarks;
import dev.controlroom.bench.BenchCommand;
import dev.controlroom.cli.AgentsCommand;
import dev.controlroom.cli.AnswerCommand;
import dev.controlroom.cli.McpCommand;
import dev.controlroom.cli.PricesCommand;
import dev.controlroom.cli.SettingsCommand;
import dev.controlroom.cli.ResumeCommand;
import dev.controlroom.cli.RunCommand;
import dev.controlroom.cli.ServeCommand;
import dev.controlroom.cli.ApiTokenCommand;
import dev.controlroom.cli.StatusCommand;
import dev.controlroom.cli.TasksCommand;
import dev.controlroom.cli.ValidateCommand;
import dev.controlroom.store.StoreException;
import dev.controlroom.ui.DesktopApp;
import dev.controlroom.ui.UiBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;

/**
 * The entry point. Without a subcommand it opens the desktop window; subcommands are the headless
 * doors into the same services ({@code cli}, {@code bench}), and this is the one class that knows
 * them all. A plain class, not a JavaFX Application, so it runs with JavaFX on the class path.
 */
@Command(name = "control-room", mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
        description = "Run a team of AI coding agents from one window.%n"
                + "Without a command, opens the desktop window on the default database.",
        sortOptions = false,
        subcommands = {RunCommand.class, ServeCommand.class, McpCommand.class, AnswerCommand.class, ApiTokenCommand.class, ValidateCommand.class,
                ResumeCommand.class, StatusCommand.class, TasksCommand.class,
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
        StartupMarks.mark("main");
        System.exit(windowOnly(args).map(Launcher::openWindow).orElseGet(() -> commandLine().execute(args)));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Launcher());
        // The window's benchmark lives with the window and joins `bench` here, where every door is known,
        // so that the command line and the headless benchmarks never depend on JavaFX.
        cli.getSubcommands().get("bench").addSubcommand(new UiBenchCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr(), cmd.getColorScheme()));
        cli.setExecutionStrategy(parsed -> new CommandLine.RunLast().execute(inheritGlobalOptions(parsed)));
        return cli;
    }

    /**
     * The plain desktop start ({@code [--db FILE] [--smoke] [--verbose]}, each at most once) read
     * without picocli: building its model of every subcommand costs a few hundred milliseconds that
     * the window would wait for. Anything else (help, version, a subcommand, an odd spelling) is
     * left to picocli, which then answers exactly as before.
     */
    static Optional<Launcher> windowOnly(String[] args) {
        Launcher launcher = new Launcher();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!seen.add(arg.startsWith("--db=") ? "--db" : arg)) {
                return Optional.empty();
            }
            switch (arg) {
                case "--smoke" -> launcher.smoke = true;
                case "--verbose" -> launcher.verbose = true;
                case "--db" -> {
                    if (i + 1 == args.length || args[i + 1].isEmpty() || args[i + 1].startsWith("-") || args[i + 1].startsWith("@")) {
                        return Optional.empty();
                    }
                    launcher.database = Path.of(args[++i]);
                }
                default -> {
                    if (!arg.startsWith("--db=") || arg.length() == "--db=".length()) {
                        return Optional.empty();
                    }
                    launcher.database = Path.of(arg.substring("--db=".length()));
                }
            }
        }
        return Optional.of(launcher);
    }

    /**
     * {@code control-room --db X run plan.yaml}: what is given before the command holds for it too
     * (the command's own {@code --db}, when given, wins).
     */
    static CommandLine.ParseResult inheritGlobalOptions(CommandLine.ParseResult top) {
        for (String name : new String[] {"--db", "--verbose"}) {
            if (!top.hasMatchedOption(name)) {
                continue;
            }
            Object value = top.matchedOptionValue(name, null);
            for (CommandLine.ParseResult sub = top.subcommand(); sub != null; sub = sub.subcommand()) {
                CommandLine.Model.OptionSpec own = sub.commandSpec().findOption(name);
                if (own != null && !sub.hasMatchedOption(name)) {
                    own.setValue(own.type() == java.util.Optional.class ? java.util.Optional.ofNullable(value) : value);
                }
            }
        }
        return top;
    }

    /** Runs the window as picocli would run this command, with the same error report and exit codes. */
    private static int openWindow(Launcher launcher) {
        try {
            return launcher.call();
        } catch (RuntimeException e) {
            PrintWriter err = new PrintWriter(System.err, true);
            return failed(e, err, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.AUTO));
        }
    }

    private static int failed(Exception e, PrintWriter err, CommandLine.Help.ColorScheme colors) {
        err.println(colors.errorText("error: " + e.getMessage()));
        return e instanceof StoreException ? 3 : 1;
    }

    @Override
    public Integer call() {
        StartupMarks.mark("arguments read");
        Logging.configure(logFolder(), verbose);
        // The database opens on its own thread while the window's toolkit starts on this one.
        CompletableFuture<ControlRoom> opening = ControlRoom.openInBackground(database).thenApply(ControlRoom::closeOnShutdown);
        try {
            return DesktopApp.run(opening.thenApply(room -> new DesktopApp(room.store(), room.orchestrator(), room.background(),
                            AppInfo.version()).withReview(room.review(), room.git())
                    // Runs left unfinished by a crash or a closed window continue, once the window is there.
                    .afterFirstFrame(() -> room.orchestrator().resumeAbandoned())
                    // The local API (and its address in the status bar) once the window is there.
                    .afterFirstFrame(() -> room.startApi(java.util.List.of(dev.controlroom.mcp.McpDoors.http(room.store(), room.orchestrator()))))),
                    smoke, System.out);
        } finally {
            opening.thenAccept(ControlRoom::close);
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
