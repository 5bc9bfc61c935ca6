package dev.controlroom.cli;

import dev.controlroom.app.ControlRoom;
import dev.controlroom.app.Logging;
import dev.controlroom.mcp.McpDoors;
import dev.controlroom.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code mcp}: Control Room's MCP server on stdin and stdout, for an MCP client that starts it (Claude
 * Code, Codex, an IDE). The engine for the database runs in this process; only one engine may run
 * per database, so while the window, the tray or {@code serve} holds it this command refuses and
 * points at that process's streamable HTTP endpoint instead.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve Control Room's MCP tools and resources on stdin/stdout (for an MCP client that starts this command).%n"
                + "Runs the engine for the database in this process, until the client closes stdin (or SIGTERM/Ctrl-C). While another "
                + "Control Room process runs the database, use its http://127.0.0.1:PORT/mcp endpoint instead.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the client closed stdin, or SIGTERM/Ctrl-C", "3:the database could not be opened (or another process runs it)"})
public final class McpCommand implements Callable<Integer> {
    @Mixin
    DatabaseOption db = new DatabaseOption();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        // stdout carries the protocol alone: anything else that prints goes to stderr
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        Logging.configure(db.logFolder(), db.verbose);
        ControlRoom room;
        try {
            room = ControlRoom.open(db.database());
        } catch (StoreException e) {
            err.println("error: " + e.getMessage());
            err.println("control-room mcp runs the engine itself, and one engine runs per database: connect the MCP client to the "
                    + "process that runs it instead, at http://127.0.0.1:PORT/mcp with the header 'Authorization: Bearer <token>' "
                    + "(the token is the file api-token beside the database; 'control-room serve' prints the address)");
            err.flush();
            return 3;
        }
        try (room; McpDoors.Stdio server = McpDoors.stdio(room.store(), room.orchestrator(), new FileInputStream(FileDescriptor.in), protocol)) {
            StopSignals.onStop(server::end);
            // Runs left unfinished by a crash or a closed window continue here, as the window continues them.
            room.orchestrator().resumeAbandoned();
            server.awaitEnd();
        }
        return 0;
    }
}
