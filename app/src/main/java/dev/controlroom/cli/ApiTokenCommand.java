package dev.controlroom.cli;

import dev.controlroom.api.ApiToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code api-token}: where the local API's token is, and a new one on request; the token itself only with {@code --show}. */
@Command(name = "api-token", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Say where the local API's bearer token is kept, or replace it.",
                "--rotate writes a new random token (mode 0600); a running server refuses the old one from its next request on.",
                "The token is printed only with --show, alone on stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:there is no token yet (without --rotate) or it could not be written", "2:usage"})
public final class ApiTokenCommand implements Callable<Integer> {
    @Mixin
    DatabaseOption db = new DatabaseOption();

    @Option(names = "--rotate", description = "Replace the token with a new random one.")
    boolean rotate;

    @Option(names = "--show", description = "Print the token (the new one with --rotate) on stdout, and nothing else there.")
    boolean show;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = ApiToken.fileBeside(db.database());
        String token;
        try {
            if (rotate) {
                token = ApiToken.rotate(db.database());
                err.println("a new API token is in " + file + "; clients need it from now on");
            } else {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!show) {
                    out.println(file);
                }
            }
        } catch (NoSuchFileException e) {
            err.println("error: there is no API token yet at " + file + "; 'serve' creates one, or run 'api-token --rotate'");
            return 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        if (show) {
            out.println(token);
        }
        out.flush();
        err.flush();
        return 0;
    }
}
