package dev.controlroom.api;

import dev.controlroom.domain.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret every request must carry ({@code Authorization: Bearer <token>}): one line in the file
 * {@code api-token} beside the database, readable by its owner only, created at the first start and
 * kept after that so scripts keep working across restarts. Never logged.
 */
public final class ApiToken {
    public static final String FILE_NAME = "api-token";
    private static final int BYTES = 32;

    private final byte[] secret;

    private ApiToken(String token) {
        this.secret = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The file that holds the token of the database {@code databaseFile}. */
    public static Path fileBeside(Path databaseFile) {
        return databaseFile.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /** Reads the token beside the database, creating it (0600) when there is none yet. */
    public static ApiToken readOrCreate(Path databaseFile) {
        Path file = fileBeside(databaseFile);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[BYTES];
                new SecureRandom().nextBytes(random);
                PrivateFiles.createFile(file);
                if (Files.size(file) == 0) {
                    Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
                }
            }
            PrivateFiles.restrict(file);
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.length() < 16) {
                throw new IllegalStateException("the API token in " + file + " is shorter than 16 characters; delete the file to get a new one");
            }
            return new ApiToken(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code presented} is the token, compared in constant time. */
    boolean matches(String presented) {
        return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiToken[hidden]";
    }
}
