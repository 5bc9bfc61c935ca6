package dev.controlroom.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;

/** A prompt too long for a command line, in a file only its owner can read, deleted once the agent's process has ended. */
final class PromptFile {
    private static final Logger LOG = Logger.getLogger(PromptFile.class.getName());

    private PromptFile() {
    }

    static Path write(String prompt) throws IOException {
        Path file = Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).supportsFileAttributeView("posix")
                ? Files.createTempFile("control-room-prompt-", ".txt", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile("control-room-prompt-", ".txt");
        Files.writeString(file, prompt, StandardCharsets.UTF_8);
        return file;
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warning("could not delete the prompt file " + file + ": " + e.getMessage());
        }
    }
}
