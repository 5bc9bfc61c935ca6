package dev.controlroom.agent;

import dev.controlroom.domain.AgentProfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks every agent CLI on PATH for its version ({@code claude --version}, ...). All of them are
 * started at once and nobody waits for them: each answer completes when its process exits, and a
 * CLI that does not answer within the timeout is ended and reported without a version.
 */
public final class CliVersions {
    /** Settings keys under which the versions last found are kept ("cli.version.claude" = "2.1.197" or "not found"). */
    public static final String SETTING_PREFIX = "cli.version.";
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+(?:\\.\\d+)?(?:[-+][0-9A-Za-z.]+)?");

    /** One agent CLI as found: where it is and what version it says it is. */
    public record CliVersion(AgentProfile profile, Optional<Path> executable, Optional<String> version) {

        public String name() {
            return profile.executable().orElse(profile.id());
        }

        public boolean found() {
            return executable.isPresent();
        }

        /** What is stored under {@link #SETTING_PREFIX} + {@link #name()}. */
        public String settingValue() {
            return executable.isEmpty() ? "not found" : version.orElse("(no version)");
        }

        /** "claude 2.1.197", "gemini not found", "aider (no version)". */
        public String describe() {
            return name() + " " + settingValue();
        }
    }

    /** Every executable asked, by its real path and modification time. */
    private record Probe(Path realPath, long modifiedMillis) {
    }

    private final CliDetector detector;
    private final Duration timeout;
    private final java.util.Map<Probe, CompletableFuture<Optional<String>>> asked = new java.util.concurrent.ConcurrentHashMap<>();

    public CliVersions(CliDetector detector, Duration timeout) {
        this.detector = detector;
        this.timeout = timeout;
    }

    /** Every CLI-backed profile, in profile order, found or not. */
    public CompletableFuture<List<CliVersion>> probe() {
        List<CompletableFuture<CliVersion>> answers = new ArrayList<>();
        for (AgentProfile profile : AgentProfile.values()) {
            profile.executable().ifPresent(name -> answers.add(detector.find(name)
                    .map(exe -> ask(profile, exe))
                    .orElseGet(() -> CompletableFuture.completedFuture(new CliVersion(profile, Optional.empty(), Optional.empty())))));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The version an executable says it is, asked once per file and modification time: every session
     * of a CLI wants it, and only an update (a new file or a new time) changes it. A CLI that gave no
     * version is asked again next time.
     */
    public CompletableFuture<Optional<String>> versionOf(Path executable) {
        Probe probe;
        try {
            Path real = executable.toRealPath();
            probe = new Probe(real, Files.getLastModifiedTime(real).toMillis());
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<String>> answer = asked.computeIfAbsent(probe, p -> versionOfNow(executable));
        answer.thenAccept(version -> {
            if (version.isEmpty()) {
                asked.remove(probe, answer);
            }
        });
        return answer;
    }

    private CompletableFuture<CliVersion> ask(AgentProfile profile, Path exe) {
        return versionOfNow(exe).thenApply(version -> new CliVersion(profile, Optional.of(exe), version));
    }

    private CompletableFuture<Optional<String>> versionOfNow(Path exe) {
        Optional<String> unknown = Optional.empty();
        Path out;
        Process process;
        try {
            // A file, not a pipe: a CLI that leaves a child holding its output open cannot hang the reader.
            out = Files.createTempFile("cr-version-", ".txt");
            process = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(unknown);
        }
        return process.onExit().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((exited, error) -> {
                    if (error != null) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                    }
                    Optional<String> version = error != null ? Optional.empty() : read(out).flatMap(CliVersions::versionIn);
                    deleteQuietly(out);
                    return version;
                });
    }

    /** The first version number in what a CLI printed ("ollama version is 0.12.3" gives "0.12.3"). */
    static Optional<String> versionIn(String text) {
        Matcher m = VERSION.matcher(text);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temp file of a few bytes is not worth failing the probe for.
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
