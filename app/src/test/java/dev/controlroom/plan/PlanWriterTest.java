package dev.controlroom.plan;

import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.TaskContext;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanWriterTest {
    private final PlanReader reader = new PlanReader(Set.of());
    private final PlanWriter writer = new PlanWriter();

    /** Texts YAML would read as something else, or that need quoting, escaping or a block. */
    static final List<String> AWKWARD = List.of("007", "1e3", "0x1F", "1_000", "1:30", "-.5", "+1", ".inf", ".NaN",
            "true", "False", "yes", "no", "on", "off", "y", "n", "null", "Null", "~", "", " leading", "trailing ",
            "a: b", "a #b", "# hash", "- dash", "-", "[x]", "{x: 1}", "*alias", "&anchor", "!tag", "%percent", "@at",
            "`tick", "'single'", "\"double\"", "back\\slash", "multi\nline", "ends with newline\n", "two\n\n",
            "  indented first\nline", "tab\there", "héllo ✓ 漢字", "bell\u0007", "crlf\r\nline", "---", "...", "=",
            "<<", "?", ":", "a|b", "|", ">", "very long " + "word ".repeat(40));

    static Stream<Path> validExamples() throws IOException {
        return PlanSchemaTest.examples().filter(p -> !p.getFileName().toString().startsWith("invalid-")
                && !p.getFileName().toString().startsWith("beyond-schema-"));
    }

    private PlanSpec read(String text, PlanReader.Format format) {
        PlanResult r = reader.parse(text, format, "written." + format.id());
        assertTrue(r.valid(), () -> r.problems() + "\n--- in ---\n" + text);
        return r.orThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void examplePlanReadsBackEqualAsYamlAndAsJson(Path example) {
        PlanSpec plan = reader.read(example).orThrow();

        for (PlanReader.Format format : PlanReader.Format.values()) {
            assertEquals(plan, read(writer.write(plan, format), format), format.id());
        }
    }

    @ParameterizedTest
    @EnumSource(PlanReader.Format.class)
    void awkwardTextInEveryTextFieldReadsBackUnchanged(PlanReader.Format format) {
        List<TaskSpec> tasks = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < AWKWARD.size(); i++) {
            String s = AWKWARD.get(i);
            env.put("VAR_" + i, s);
            // The reader drops a blank command or prompt and takes the id for a blank title: give those a word.
            String nonBlank = s.isBlank() ? s + "x" : s;
            // A branch is a git name, checked as one (GitNames): every other text field takes the awkward text.
            TaskContext context = new TaskContext(Optional.of(s), Optional.of(s), Optional.of("branch-" + i), false, Map.of("V", s),
                    List.of(s, s), List.of(s));
            tasks.add(new TaskSpec("t" + i, nonBlank, Optional.of(nonBlank), Optional.of(nonBlank), i, List.of(),
                    Optional.of("helper"), Optional.empty(), false, false, Optional.of(s), context, List.of(s), 1,
                    Optional.empty()));
        }
        tasks.add(new TaskSpec("env", "env", Optional.of("env"), Optional.empty(), 0, List.of("t0", "t1"),
                Optional.empty(), Optional.empty(), false, false, Optional.empty(),
                new TaskContext(Optional.empty(), Optional.empty(), Optional.empty(), false, env, List.of(), List.of()),
                List.of(), 1, Optional.empty()));
        PlanSpec plan = new PlanSpec("awkward: \"names\" # too", Optional.empty(), WaveMode.DATAFLOW,
                List.of(new PlanSpec.AgentSpec("helper", AgentProfile.CUSTOM, Optional.of("1.0"), 1, Optional.of("run {prompt} | tee -a log"))),
                tasks);

        assertEquals(plan, read(writer.write(plan, format), format));
    }

    @Test
    void defaultsAndEmptyValuesAreLeftOut() throws IOException {
        PlanSpec plan = reader.read(PlanSchemaTest.EXAMPLES.resolve("valid-minimal.json")).orThrow();

        assertEquals("""
                name: minimal
                tasks:
                  - id: only
                    command: echo hello
                """, writer.write(plan, PlanReader.Format.YAML));
        assertEquals("""
                {
                  "name": "minimal",
                  "tasks": [
                    {
                      "id": "only",
                      "command": "echo hello"
                    }
                  ]
                }
                """, writer.write(plan, PlanReader.Format.JSON));
    }

    @Test
    void everySetKeyIsWrittenInTheSchemaOrder() {
        TaskContext context = new TaskContext(Optional.of("."), Optional.of("app"), Optional.of("main"), true,
                Map.of("B", "2", "A", "1"), List.of("npm ci"), List.of(".env"));
        TaskSpec task = new TaskSpec("ship", "Ship it", Optional.of("make ship"), Optional.of("Check the release"), -2,
                List.of("build"), Optional.of("sh"), Optional.of("shell"), true, true, Optional.of("release"), context,
                List.of("test -f out"), 3, Optional.of(Duration.ofSeconds(90)));
        PlanSpec plan = new PlanSpec("p", Optional.of(2), WaveMode.BARRIER,
                List.of(new PlanSpec.AgentSpec("sh", AgentProfile.SHELL, Optional.of("none"), 4, Optional.of("bash -c {command}"))),
                List.of(TaskSpec.shell("build", "make"), task));

        assertEquals("""
                name: p
                settings:
                  concurrency: 2
                  wave_mode: barrier
                agents:
                  - id: sh
                    profile: shell
                    model: none
                    max_concurrent: 4
                    command: "bash -c {command}"
                tasks:
                  - id: build
                    command: make
                  - id: ship
                    title: Ship it
                    command: make ship
                    prompt: Check the release
                    priority: -2
                    depends_on:
                      - build
                    agent: sh
                    profile: shell
                    pinned: true
                    critical: true
                    category: release
                    context:
                      repo: "."
                      working_dir: app
                      branch: main
                      worktree: true
                      env:
                        A: "1"
                        B: "2"
                      setup:
                        - npm ci
                      copy_files:
                        - .env
                    verify:
                      - test -f out
                    max_attempts: 3
                    timeout: 90s
                """, writer.write(plan, PlanReader.Format.YAML));
    }

    @Test
    void multiLinePromptIsALiteralBlock() {
        TaskSpec ask = new TaskSpec("ask", "ask", Optional.empty(), Optional.of("Write the notes.\nKeep them short.\n"), 0,
                List.of(), Optional.empty(), Optional.of("claude"), false, false, Optional.empty(), TaskContext.NONE,
                List.of(), 1, Optional.empty());
        String yaml = writer.write(new PlanSpec("p", Optional.empty(), WaveMode.DATAFLOW, List.of(), List.of(ask)),
                PlanReader.Format.YAML);

        assertTrue(yaml.contains("""
                    prompt: |
                      Write the notes.
                      Keep them short.
                """), yaml);
    }

    @Test
    void durationsUseTheLargestExactUnit() {
        assertEquals("2h", PlanWriter.duration(Duration.ofHours(2)));
        assertEquals("10m", PlanWriter.duration(Duration.ofMinutes(10)));
        assertEquals("90m", PlanWriter.duration(Duration.ofMinutes(90)));
        assertEquals("90s", PlanWriter.duration(Duration.ofSeconds(90)));
        assertEquals("2m", PlanWriter.duration(Duration.ofSeconds(120)));
        assertEquals("500ms", PlanWriter.duration(Duration.ofMillis(500)));
        assertEquals("1500ms", PlanWriter.duration(Duration.ofMillis(1500)));
        assertEquals(Long.MAX_VALUE + "s", PlanWriter.duration(Duration.ofSeconds(Long.MAX_VALUE)));
    }

    @Test
    void durationsAPlanFileCannotStateAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PlanWriter.duration(Duration.ofNanos(1_500_000)));
        assertThrows(IllegalArgumentException.class, () -> PlanWriter.duration(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> PlanWriter.duration(Duration.ofSeconds(-5)));
    }

    @Test
    void writtenFileFormatFollowsItsNameAndReadsBack(@TempDir Path dir) throws IOException {
        PlanSpec plan = reader.read(PlanSchemaTest.EXAMPLES.resolve("valid-full.yaml")).orThrow();
        Path json = dir.resolve("out.json");
        Path yaml = dir.resolve("out.yaml");
        Files.writeString(yaml, "old content that is replaced");

        writer.write(plan, json);
        writer.write(plan, yaml);

        assertTrue(Files.readString(json).startsWith("{\n  \"name\": \"release-prep\","), Files.readString(json));
        assertTrue(Files.readString(yaml).startsWith("name: release-prep\n"), Files.readString(yaml));
        assertEquals(plan, reader.read(json).orThrow());
        assertEquals(plan, reader.read(yaml).orThrow());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(Set.of(json, yaml), Set.copyOf(left.toList()), "no temporary file is left behind");
        }
    }
}
