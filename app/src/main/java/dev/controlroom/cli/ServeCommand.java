package dev.controlroom.cli;

import dev.controlroom.api.ApiPortFile;
import dev.controlroom.api.ApiServer;
import dev.controlroom.api.ApiToken;
import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.Logging;
import dev.controlroom.mcp.McpDoors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: the engine and the local API without a window, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the engine, the local API (http://127.0.0.1:PORT/api) and the MCP server (http://127.0.0.1:PORT/mcp) without a window.%n"
                + "Prints 'api: http://127.0.0.1:PORT' once requests are accepted and writes PORT to the file api-port beside the "
                + "database (removed on a clean stop); the bearer token is the single line of the file api-token beside the database. SIGTERM or Ctrl-C stops it: running sessions are ended and their runs stored "
                + "as interrupted, to continue at the next start.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or Ctrl-C", "2:usage", "3:the database could not be opened (or another process runs it)"})
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    DatabaseOption db = new DatabaseOption();

    @Option(names = "--port", paramLabel = "N", description = "The port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = 3333;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("error: --port must be between 0 and 65535, was " + port);
            return 2;
        }
        Logging.configure(db.logFolder(), db.verbose);
        CountDownLatch stop = new CountDownLatch(1);
        try (ControlRoom room = ControlRoom.open(db.database());
             ApiServer api = ApiServer.start(room.store(), room.orchestrator(), ApiToken.readOrCreate(db.database()), port,
                     List.of(McpDoors.http(room.store(), room.orchestrator())));
             ApiPortFile portFile = ApiPortFile.write(db.database(), api.port())) {
            StopSignals.onStop(stop::countDown);
            // Runs left unfinished by a crash or a closed window continue here, as the window continues them.
            room.orchestrator().resumeAbandoned();
            // Other commands on this database find the engine here (a `run` passes its plan to it).
            room.store().settings().put(dev.controlroom.app.WindowApi.ADDRESS_SETTING, api.address());
            out.println("api: " + api.address());
            out.flush();
            stop.await();
            err.println("stopping: ending sessions, storing runs");
            err.flush();
            room.store().settings().put(dev.controlroom.app.WindowApi.ADDRESS_SETTING, "");
        }
        // The API closed first (no new controls), then the engine as the window's quit closes it.
        return 0;
    }
}
