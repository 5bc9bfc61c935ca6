package dev.controlroom.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file {@code api-port} beside the database: the port a running server listens on, one line, so
 * other tools on this machine find it (with {@code --port 0} nobody else knows it). Written once
 * requests are accepted, removed when the server stops cleanly; a file left by a crash names a port
 * nothing answers on.
 */
public final class ApiPortFile implements AutoCloseable {
    public static final String FILE_NAME = "api-port";

    private final Path file;

    private ApiPortFile(Path file) {
        this.file = file;
    }

    public static Path fileBeside(Path databaseFile) {
        return databaseFile.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /** Writes the port (beside it first, then renamed over it, so no reader sees half a line). */
    public static ApiPortFile write(Path databaseFile, int port) {
        Path file = fileBeside(databaseFile);
        Path next = file.resolveSibling(FILE_NAME + ".new");
        try {
            Files.writeString(next, port + "\n", StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new ApiPortFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API's port to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the file: the server is stopping. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }
}
