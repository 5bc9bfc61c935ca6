package dev.controlroom.agent;

import dev.controlroom.domain.AgentProfile;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Finds the agent CLIs installed on PATH, the way a shell would. */
public final class CliDetector {

    /** An agent CLI found on PATH. */
    public record DetectedCli(AgentProfile profile, Path executable) {
    }

    private final String path;
    private final boolean windows;

    public CliDetector(String path, boolean windows) {
        this.path = path == null ? "" : path;
        this.windows = windows;
    }

    public static CliDetector fromEnvironment() {
        return new CliDetector(System.getenv("PATH"),
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"));
    }

    /** Every AI profile whose CLI is on PATH, in profile order. */
    public List<DetectedCli> detect() {
        List<DetectedCli> found = new ArrayList<>();
        for (AgentProfile profile : AgentProfile.values()) {
            profile.executable().flatMap(this::find).ifPresent(p -> found.add(new DetectedCli(profile, p)));
        }
        return found;
    }

    /** The first executable file with this name on PATH. */
    public Optional<Path> find(String name) {
        List<String> suffixes = windows ? List.of(".exe", ".cmd", ".bat", "") : List.of("");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String suffix : suffixes) {
                Path candidate = Path.of(dir, name + suffix);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
