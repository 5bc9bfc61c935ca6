package dev.controlroom.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.WaveMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/plan.schema.json and {@link PlanReader} judge the example plans alike. The examples' names
 * say the verdict: {@code valid-*} both accept, {@code invalid-*} both reject, {@code beyond-schema-*}
 * are well-formed plans that only the reader can reject (ids, references, cycles, the roster).
 */
class PlanSchemaTest {
    /** Surefire runs in the project folder; the schema is read where it is published, not copied. */
    static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    static final Path SCHEMA = PROJECT.resolve("docs/plan.schema.json");
    static final Path EXAMPLES = PROJECT.resolve("app/src/test/resources/plans");
    static final Path SAMPLE = PROJECT.resolve("app/src/main/resources/plans/sample-plan.yaml");

    private static JsonNode schemaNode;
    private static Schema schema;
    private final PlanReader reader = new PlanReader(Set.of());

    @BeforeAll
    static void loadSchema() throws IOException {
        schemaNode = new ObjectMapper().readTree(SCHEMA.toFile());
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return Stream.concat(files.sorted().toList().stream(), Stream.of(SAMPLE));
        }
    }

    private static List<Error> schemaProblems(Path plan) throws IOException {
        ObjectMapper mapper = PlanReader.Format.of(plan) == PlanReader.Format.JSON ? new ObjectMapper()
                : new ObjectMapper(new YAMLFactory());
        return List.copyOf(schema.validate(mapper.readTree(plan.toFile())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void schemaAndReaderJudgeEachExampleAsItsNameSays(Path plan) throws IOException {
        String name = plan.getFileName().toString();
        List<Error> fromSchema = schemaProblems(plan);
        PlanResult fromReader = reader.read(plan);

        boolean schemaAccepts = !name.startsWith("invalid-");
        boolean readerAccepts = !name.startsWith("invalid-") && !name.startsWith("beyond-schema-");
        assertEquals(schemaAccepts, fromSchema.isEmpty(), () -> "schema on " + name + ": " + fromSchema);
        assertEquals(readerAccepts, fromReader.valid(), () -> "reader on " + name + ": " + fromReader.problems());
    }

    /** The same key, or the mapping that holds it: the schema reports a missing key on its mapping. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void schemaAndReaderPointAtTheSamePlace(Path plan) throws IOException {
        String name = plan.getFileName().toString();
        if (!name.startsWith("invalid-")) {
            return;
        }
        Set<String> schemaPlaces = new TreeSet<>();
        for (Error m : schemaProblems(plan)) {
            String at = readable(m.getInstanceLocation().toString());
            // An unknown key is reported on its mapping, with the key apart; the reader names the key.
            schemaPlaces.add(m.getProperty() == null || !"additionalProperties".equals(m.getKeyword()) ? at
                    : (at.isEmpty() ? "" : at + ".") + m.getProperty());
        }
        for (PlanProblem p : reader.read(plan).problems()) {
            assertTrue(schemaPlaces.stream().anyMatch(s -> s.equals(p.path()) || p.path().startsWith(s + ".")
                            || s.startsWith(p.path().isEmpty() ? "" : p.path() + ".")),
                    () -> name + ": the reader's " + p + " is not among the schema's places " + schemaPlaces);
        }
    }

    /** The JSON pointer {@code /tasks/0/id} reads as the reader's {@code tasks[0].id}. */
    private static String readable(String instanceLocation) {
        StringBuilder path = new StringBuilder();
        for (String segment : instanceLocation.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.chars().allMatch(Character::isDigit)) {
                path.append('[').append(segment).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return path.toString();
    }

    @Test
    void everyYamlPlanInTheReadmeIsValidForSchemaAndReader() throws IOException {
        String readme = Files.readString(PROJECT.resolve("README.md"));
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        int plans = 0;
        while (block.find()) {
            String text = block.group(1);
            PlanResult r = reader.parse(text, PlanReader.Format.YAML, "README.md");
            assertTrue(r.valid(), () -> r.problems() + "\n" + text);
            assertEquals(List.of(), schema.validate(yaml.readTree(text)), text);
            plans++;
        }
        assertTrue(plans >= 2, "the sample plan and the annotated one, found " + plans);
    }

    @Test
    void everyInvalidExampleIsRejectedByTheReaderWithAReasonThatNamesTheFile() throws IOException {
        List<Path> invalid;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            invalid = files.filter(f -> f.getFileName().toString().startsWith("invalid-")).toList();
        }
        assertFalse(invalid.isEmpty());
        for (Path plan : invalid) {
            PlanResult r = reader.read(plan);
            assertFalse(r.problems().isEmpty(), plan.toString());
            r.problems().forEach(p -> assertTrue(p.toString().startsWith(plan + ":"), p.toString()));
        }
    }

    @Test
    void schemaIsAValidDraft202012Schema() {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

        assertEquals(List.of(), meta.validate(schemaNode));
    }

    @Test
    void schemaNamesExactlyTheKeysTheReaderAllows() {
        JsonNode defs = schemaNode.get("$defs");

        assertEquals(new TreeSet<>(PlanReader.TOP_KEYS), keys(schemaNode));
        assertEquals(new TreeSet<>(PlanReader.SETTINGS_KEYS), keys(schemaNode.at("/properties/settings")));
        assertEquals(new TreeSet<>(PlanReader.AGENT_KEYS), keys(defs.get("agent")));
        assertEquals(new TreeSet<>(PlanReader.TASK_KEYS), keys(defs.get("task")));
        assertEquals(new TreeSet<>(PlanReader.CONTEXT_KEYS), keys(defs.get("context")));
    }

    @Test
    void schemaEnumsAreTheProfilesAndWaveModesOfTheDomain() {
        List<String> profiles = new ArrayList<>();
        schemaNode.at("/$defs/profile/enum").forEach(n -> profiles.add(n.asText()));
        List<String> modes = new ArrayList<>();
        schemaNode.at("/properties/settings/properties/wave_mode/enum").forEach(n -> {
            if (!n.isNull()) {
                modes.add(n.asText());
            }
        });

        assertEquals(Arrays.stream(AgentProfile.values()).map(AgentProfile::id).toList(), profiles);
        assertEquals(Arrays.stream(WaveMode.values()).map(WaveMode::id).toList(), modes);
    }

    @Test
    void everyPropertyHasATitleAndADescription() {
        List<String> bare = new ArrayList<>();
        collectBareProperties(schemaNode, "", bare);

        assertEquals(List.of(), bare);
    }

    private static void collectBareProperties(JsonNode node, String at, List<String> bare) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            // The properties inside anyOf/if/then only narrow keys declared elsewhere.
            if (properties != null && properties.isObject() && !at.contains("anyOf") && !at.contains("/if")
                    && !at.contains("/then")) {
                for (Map.Entry<String, JsonNode> p : properties.properties()) {
                    if (!p.getValue().has("title") || !p.getValue().has("description")) {
                        bare.add(at + "/properties/" + p.getKey());
                    }
                }
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                collectBareProperties(e.getValue(), at + "/" + e.getKey(), bare);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectBareProperties(node.get(i), at + "/" + i, bare);
            }
        }
    }

    private static Set<String> keys(JsonNode objectSchema) {
        Set<String> keys = new TreeSet<>();
        objectSchema.get("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
