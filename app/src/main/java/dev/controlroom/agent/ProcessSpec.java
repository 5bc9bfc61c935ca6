package dev.controlroom.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start in a PTY.
 *
 * @param command     argv; a bare name (no separator) is looked up on the {@code PATH} of {@code environment},
 *                    a relative path is taken relative to {@code workingDir}
 * @param workingDir  must exist when the session starts
 * @param environment the process's whole environment: it replaces this JVM's, nothing is merged in (not even
 *                    {@code TERM} or {@code PATH}), so what an agent sees is exactly what was decided for it
 * @param columns     initial terminal width
 * @param rows        initial terminal height
 */
public record ProcessSpec(List<String> command, Path workingDir, Map<String, String> environment, int columns, int rows) {

    public ProcessSpec {
        command = List.copyOf(command);
        Objects.requireNonNull(workingDir, "workingDir");
        environment = Map.copyOf(environment);
        if (command.isEmpty() || command.getFirst().isEmpty()) {
            throw new IllegalArgumentException("a process needs a command, got " + command);
        }
        requireSize(columns, rows);
    }

    /** argv that runs a shell command line: {@code /bin/sh -c line} on Unix, {@code cmd.exe /c line} on Windows. */
    public static List<String> shellCommand(String line) {
        Objects.requireNonNull(line, "line");
        return Os.WINDOWS ? List.of("cmd.exe", "/c", line) : List.of("/bin/sh", "-c", line);
    }

    static void requireSize(int columns, int rows) {
        if (columns < 1 || rows < 1) {
            throw new IllegalArgumentException("a terminal needs at least 1 column and 1 row, got " + columns + "x" + rows);
        }
    }
}
