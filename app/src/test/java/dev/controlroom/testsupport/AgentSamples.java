package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams captured from the real CLIs ({@code agent-samples/CLI/SCENARIO.jsonl} in the test
 * resources), for parser tests that should not need the CLIs installed.
 *
 * <p>The real-CLI tests save what they capture under {@code target/agent-samples}; run them with
 * {@code -Dcontrolroom.samples.update=true} to also refresh the committed copies, e.g. after
 * pinning a new CLI version.
 */
public final class AgentSamples {
    public static final String UPDATE_PROPERTY = "controlroom.samples.update";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CAPTURED = Path.of("target", "agent-samples");
    private static final Path COMMITTED = Path.of("app", "src", "test", "resources", "agent-samples");

    private AgentSamples() {
    }

    /** The lines of a committed sample, parsed; e.g. {@code read("claude", "success")}. */
    public static List<JsonNode> read(String cli, String scenario) {
        String resource = "/agent-samples/" + cli + "/" + scenario + ".jsonl";
        try (InputStream in = AgentSamples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + resource);
            }
            List<JsonNode> events = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps a run's stdout as {@code SCENARIO.jsonl}: always under target, in the sources when asked to. */
    public static void save(String cli, String scenario, CliRun run) throws IOException {
        save(cli, scenario + ".jsonl", run.stdout().getBytes(StandardCharsets.UTF_8));
    }

    /** Keeps raw bytes (e.g. a TUI's terminal output, {@code NAME.ansi}) the same way. */
    public static void save(String cli, String fileName, byte[] bytes) throws IOException {
        write(CAPTURED, cli, fileName, bytes);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            write(COMMITTED, cli, fileName, bytes);
        }
    }

    private static void write(Path root, String cli, String fileName, byte[] bytes) throws IOException {
        Path file = root.resolve(cli).resolve(fileName);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
