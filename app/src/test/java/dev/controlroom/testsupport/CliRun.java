package dev.controlroom.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real CLI run in JSON-lines mode on plain pipes (no PTY): stdin from {@code /dev/null}, stdout
 * kept line by line, stderr kept whole. The environment is exactly the one given.
 */
public final class CliRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private CliRun(List<String> command, Process process) {
        this.command = List.copyOf(command);
        this.process = process;
        this.stdoutReader = Thread.ofVirtual().name("cli-stdout").start(() -> readLines(process.getInputStream()));
        this.stderrReader = Thread.ofVirtual().name("cli-stderr").start(() -> readAll(process.getErrorStream()));
    }

    public static CliRun start(List<String> command, Map<String, String> environment, Path workDir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new CliRun(command, builder.start());
    }

    /** What every CLI environment starts from: this JVM's PATH (node must be on it) and a UTF-8 locale. */
    static Map<String, String> baseEnvironment() {
        return Map.of("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin"),
                "LANG", "C.UTF-8");
    }

    /** The stdout lines so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The stdout lines so far that are JSON objects, parsed. */
    public List<JsonNode> events() {
        return lines.stream().map(CliRun::parse).flatMap(Optional::stream).toList();
    }

    /** The events of one {@code type}. */
    public List<JsonNode> events(String type) {
        return events().stream().filter(event -> type.equals(event.path("type").asText())).toList();
    }

    /** The single event of a type: fails if there is none or more than one. */
    public JsonNode only(String type) {
        List<JsonNode> found = events(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one '" + type + "' event, got " + found.size() + "\n" + transcript());
        }
        return found.getFirst();
    }

    public String stdout() {
        return lines.stream().map(line -> line + "\n").reduce("", String::concat);
    }

    public String stderr() {
        return stderr.toString();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the first event matching, seen so far or yet to come. */
    public JsonNode awaitEvent(Predicate<JsonNode> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive() && !stdoutReader.isAlive();
            Optional<JsonNode> found = events().stream().filter(matching).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (ended || System.nanoTime() > deadline) {
                throw new AssertionError("no matching event within " + timeout + "\n" + transcript());
            }
            Thread.sleep(10);
        }
    }

    /** Waits for the process to end and its output to be read; returns the exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("still running after " + timeout + ", killed\n" + transcript());
        }
        stdoutReader.join(Duration.ofSeconds(5));
        stderrReader.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** Kills the whole tree (descendants first, while they are still findable through the parent) and waits for it. */
    public void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            stdoutReader.join(Duration.ofSeconds(5));
            stderrReader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command, stdout and stderr, for failure messages. */
    public String transcript() {
        return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void readLines(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process was killed mid-line: what was read stays.
        }
    }

    private void readAll(InputStream in) {
        try (in) {
            stderr.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // As above.
        }
    }

    private static Optional<JsonNode> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(line));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
