package dev.controlroom.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.TaskContext;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.WaveMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a plan as a file the reader accepts, in YAML or JSON: the keys of docs/plan.schema.json
 * in its order, defaults and empty values left out, durations in the largest unit that is exact
 * ({@code 90s}, {@code 10m}, {@code 2h}). A plan the reader produced reads back equal.
 */
public final class PlanWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectWriter yaml;
    private final ObjectWriter json;

    public PlanWriter() {
        YAMLFactory yamlFactory = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                // A command "007" or an env value "8080" must stay text, not turn into a number.
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                // Multi-line prompts and scripts stay readable as | blocks.
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .build();
        this.yaml = new ObjectMapper(yamlFactory).writer();
        DefaultIndenter newline = new DefaultIndenter("  ", "\n");
        this.json = new ObjectMapper().writer(new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(newline)
                .withArrayIndenter(newline));
    }

    /**
     * The plan as file text.
     *
     * @throws IllegalArgumentException when a timeout is not a positive whole number of milliseconds,
     *                                  which a plan file cannot express
     */
    public String write(PlanSpec plan, PlanReader.Format format) {
        ObjectNode tree = tree(plan);
        try {
            return format == PlanReader.Format.JSON ? json.writeValueAsString(tree) + "\n" : yaml.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            // A tree of strings, numbers and booleans always serialises; reaching this is a bug here.
            throw new IllegalStateException("cannot write plan '" + plan.name() + "' as " + format.id(), e);
        }
    }

    /**
     * Writes the plan to {@code file}, in the format its name says (see {@link PlanReader.Format#of}).
     * The file is replaced in one step, so a crash mid-write leaves the old one whole.
     */
    public void write(PlanSpec plan, Path file) {
        String text = write(plan, PlanReader.Format.of(file));
        Path absolute = file.toAbsolutePath();
        try {
            Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan to " + file + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode tree(PlanSpec plan) {
        ObjectNode root = NODES.objectNode();
        root.put("name", plan.name());
        ObjectNode settings = NODES.objectNode();
        plan.concurrency().ifPresent(c -> settings.put("concurrency", c));
        if (plan.waveMode() != WaveMode.DATAFLOW) {
            settings.put("wave_mode", plan.waveMode().id());
        }
        putIfNotEmpty(settings, "watchdog", watchdog(plan.watchdog()));
        putIfNotEmpty(root, "settings", settings);
        ArrayNode agents = root.putArray("agents");
        for (PlanSpec.AgentSpec a : plan.agents()) {
            ObjectNode agent = agents.addObject();
            agent.put("id", a.id());
            agent.put("profile", a.profile().id());
            put(agent, "model", a.model());
            if (a.maxConcurrent() != 1) {
                agent.put("max_concurrent", a.maxConcurrent());
            }
            put(agent, "command", a.commandTemplate());
        }
        if (agents.isEmpty()) {
            root.remove("agents");
        }
        ArrayNode tasks = root.putArray("tasks");
        plan.tasks().forEach(t -> tasks.add(task(t)));
        return root;
    }

    private static ObjectNode task(TaskSpec t) {
        ObjectNode task = NODES.objectNode();
        task.put("id", t.key());
        // The reader takes the id for a missing title, so an equal one says nothing.
        if (!t.title().equals(t.key())) {
            task.put("title", t.title());
        }
        put(task, "command", t.command());
        put(task, "prompt", t.prompt());
        if (t.priority() != 0) {
            task.put("priority", t.priority());
        }
        putList(task, "depends_on", t.dependsOn());
        put(task, "agent", t.agent());
        put(task, "profile", t.profile());
        if (t.pinned()) {
            task.put("pinned", true);
        }
        if (t.critical()) {
            task.put("critical", true);
        }
        put(task, "category", t.category());
        putIfNotEmpty(task, "context", context(t.context()));
        putList(task, "verify", t.verify());
        if (t.maxAttempts() != 1) {
            task.put("max_attempts", t.maxAttempts());
        }
        t.timeout().ifPresent(d -> task.put("timeout", duration(d)));
        putIfNotEmpty(task, "watchdog", watchdog(t.watchdog()));
        return task;
    }

    private static ObjectNode watchdog(dev.controlroom.domain.Watchdog w) {
        ObjectNode node = NODES.objectNode();
        w.silence().ifPresent(d -> node.put("silence", d.isZero() ? "off" : duration(d)));
        w.onStuck().ifPresent(p -> node.put("on_stuck", p.id()));
        w.onRepeatedError().ifPresent(p -> node.put("on_repeated_error", p.id()));
        return node;
    }

    private static ObjectNode context(TaskContext c) {
        ObjectNode context = NODES.objectNode();
        put(context, "repo", c.repo());
        put(context, "working_dir", c.workingDir());
        put(context, "branch", c.branch());
        if (c.worktree()) {
            context.put("worktree", true);
        }
        ObjectNode env = NODES.objectNode();
        // Sorted: the record's map has no order, and a file that changes on every export diffs badly.
        new TreeMap<>(c.env()).forEach(env::put);
        putIfNotEmpty(context, "env", env);
        putList(context, "setup", c.setup());
        putList(context, "copy_files", c.copyFiles());
        return context;
    }

    static String duration(Duration d) {
        return dev.controlroom.domain.Durations.exact(d);
    }

    private static void put(ObjectNode node, String key, Optional<String> value) {
        value.ifPresent(v -> node.put(key, v));
    }

    private static void putList(ObjectNode node, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray(key);
            values.forEach(array::add);
        }
    }

    private static void putIfNotEmpty(ObjectNode node, String key, ObjectNode value) {
        if (!value.isEmpty()) {
            node.set(key, value);
        }
    }
}
