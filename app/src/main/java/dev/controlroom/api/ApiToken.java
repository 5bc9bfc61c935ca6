package dev.controlroom.api;

import dev.controlroom.domain.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The secret every request must carry ({@code Authorization: Bearer <token>}): one line in the file
 * {@code api-token} beside the database, readable by its owner only, created at the first start and
 * kept after that so scripts keep working across restarts. Never logged.
 *
 * <p>The file is the one truth: {@link #rotate} replaces it in one atomic rename, and a running
 * server, which holds an {@code ApiToken} read from it, sees the new file at the next request and
 * accepts only the new token from then on. A missing or unreadable file accepts no token at all.
 */
public final class ApiToken {
    private static final Logger LOG = Logger.getLogger(ApiToken.class.getName());
    public static final String FILE_NAME = "api-token";
    private static final int BYTES = 32;
    private static final int SHORTEST = 16;

    private final Path file;
    /** What the file held when last read, and how to tell whether it changed since. */
    private volatile Snapshot current;

    private record Snapshot(Object fileKey, long modifiedNanos, long size, byte[] secret) {
        boolean same(BasicFileAttributes a) {
            return Objects.equals(fileKey, a.fileKey()) && modifiedNanos == nanos(a) && size == a.size();
        }
    }

    private ApiToken(Path file, Snapshot current) {
        this.file = file;
        this.current = current;
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
                PrivateFiles.createFile(file);
                if (Files.size(file) == 0) {
                    Files.writeString(file, fresh(), StandardCharsets.UTF_8);
                }
            }
            PrivateFiles.restrict(file);
            return new ApiToken(file, read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The token the file beside the database holds now, for a process Control Room starts that
     * should reach its own API (an agent given the MCP server); empty when there is none to read.
     */
    public static java.util.Optional<String> current(Path databaseFile) {
        try {
            return java.util.Optional.of(new String(read(fileBeside(databaseFile)).secret(), StandardCharsets.UTF_8));
        } catch (IOException | IllegalStateException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Replaces the token beside the database with a new random one (0600, written beside it and
     * renamed over it, so no reader ever sees half a token); returns the new token's text, for the
     * person who asked to see it. A server running on the database refuses the old token from its next request on.
     */
    public static String rotate(Path databaseFile) {
        Path file = fileBeside(databaseFile);
        Path next = file.resolveSibling(FILE_NAME + ".new");
        try {
            Files.deleteIfExists(next);
            PrivateFiles.createFile(next);
            String token = fresh();
            Files.writeString(next, token, StandardCharsets.UTF_8);
            PrivateFiles.restrict(next);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return token.strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a new API token to " + file + ": " + e.getMessage(), e);
        }
    }

    /** What every token this version writes starts with: {@code crt_} and 64 hex digits. */
    public static final String PREFIX = "crt_";

    private static String fresh() {
        byte[] random = new byte[BYTES];
        new SecureRandom().nextBytes(random);
        // The prefix lets the output redactor know the token wherever an agent prints it (its sessions may get it in their environment).
        return PREFIX + HexFormat.of().formatHex(random) + "\n";
    }

    private static Snapshot read(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.length() < SHORTEST) {
            throw new IllegalStateException("the API token in " + file + " is shorter than " + SHORTEST
                    + " characters; run 'control-room api-token --rotate' for a new one");
        }
        return new Snapshot(attributes.fileKey(), nanos(attributes), attributes.size(), token.getBytes(StandardCharsets.UTF_8));
    }

    private static long nanos(BasicFileAttributes a) {
        return a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Whether {@code presented} is the token the file holds now, compared in constant time. */
    boolean matches(String presented) {
        return secret().map(s -> MessageDigest.isEqual(s, presented.getBytes(StandardCharsets.UTF_8))).orElse(false);
    }

    /** The file's token, read again when the file changed (a rotation renames a new file over it); empty when there is none to read. */
    private java.util.Optional<byte[]> secret() {
        Snapshot known = current;
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            if (known == null || !known.same(now)) {
                known = read(file);
                current = known;
            }
            return java.util.Optional.of(known.secret());
        } catch (NoSuchFileException gone) {
            current = null;
            return java.util.Optional.empty();
        } catch (IOException | IllegalStateException unreadable) {
            if (known != null) {
                LOG.warning("the API token file " + file + " cannot be read, so every request is refused until it can: "
                        + unreadable.getMessage());
            }
            current = null;
            return java.util.Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "ApiToken[hidden]";
    }
}
