package dev.controlroom.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.Dag;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.TaskContext;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.Watchdog;
import dev.controlroom.domain.WaveMode;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a plan file (YAML or JSON, one schema) and reports every problem at once: syntax with
 * line and column, unknown keys, wrong types, duplicate ids, unknown dependencies, agents or
 * profiles, and dependency cycles named task by task. Reading never touches the database.
 */
public final class PlanReader {

    /** The file formats a plan can be written in. */
    public enum Format {
        YAML, JSON;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Chosen by the file name: {@code .json} is JSON, anything else YAML (a superset of JSON). */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".json") ? JSON : YAML;
        }
    }

    static final Set<String> TOP_KEYS = Set.of("name", "description", "settings", "agents", "tasks");
    static final Set<String> SETTINGS_KEYS = Set.of("concurrency", "wave_mode", "watchdog");
    static final Set<String> WATCHDOG_KEYS = Set.of("silence", "on_stuck", "on_repeated_error");
    static final Set<String> AGENT_KEYS = Set.of("id", "profile", "model", "max_concurrent", "command");
    static final Set<String> TASK_KEYS = Set.of("id", "title", "description", "command", "prompt", "priority",
            "depends_on", "agent", "profile", "pinned", "critical", "category", "context", "verify", "max_attempts",
            "timeout", "watchdog");
    static final Set<String> CONTEXT_KEYS = Set.of("repo", "working_dir", "branch", "worktree", "env", "setup",
            "copy_files");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final Set<String> rosterAgents;

    /** @param rosterAgents names of the agents already on the roster, which tasks may name */
    public PlanReader(Set<String> rosterAgents) {
        this.rosterAgents = Set.copyOf(rosterAgents);
    }

    /** Whether {@code id} is a valid task (or agent) id in a plan file. */
    public static boolean validId(String id) {
        return ID.matcher(id).matches();
    }

    /**
     * A duration as a plan file writes it ({@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}; a bare
     * number is seconds); empty when the text is not one, is zero or is too long to store.
     */
    public static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Duration d = duration(Long.parseLong(m.group(1)), m.group(2) == null ? "s" : m.group(2));
            return d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static Duration duration(long n, String unit) {
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        d.toMillis(); // throws when it overflows: timeouts are stored and compared in milliseconds
        return d;
    }

    /** The largest plan file read: a 100,000-task plan is well under it. */
    static final long MAX_PLAN_BYTES = 64L << 20;
    /** The longest line of a plan: a value (a prompt, a command) is at most about this long. */
    static final int MAX_LINE_CHARS = 1 << 20;

    public PlanResult read(Path file) {
        String source = file.toString();
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_PLAN_BYTES) {
                return failure(source, "the plan file is " + megabytes(size) + "; a plan file may be at most " + megabytes(MAX_PLAN_BYTES));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return failure(source, "no such file");
        } catch (MalformedInputException e) {
            return failure(source, "the file is not UTF-8 text");
        } catch (IOException e) {
            return failure(source, "cannot read the file: " + e.getMessage());
        }
        return parse(text, Format.of(file), source);
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static PlanResult failure(String source, String message) {
        return new PlanResult(Optional.empty(), List.of(new PlanProblem(source, Optional.empty(), Optional.empty(), "", message)));
    }

    public PlanResult parse(String text, Format format, String source) {
        if (text.length() > MAX_PLAN_BYTES) {
            return failure(source, "the plan is " + megabytes(text.length()) + " long; a plan may be at most " + megabytes(MAX_PLAN_BYTES));
        }
        // Checked before the YAML parser sees it: it takes its time over a value of many megabytes before refusing it.
        // (A JSON plan may be one long line; its parser refuses a long string quickly, see below.)
        int lineNo = 1;
        for (int start = 0; format == Format.YAML && start < text.length(); lineNo++) {
            int end = text.indexOf('\n', start);
            int stop = end < 0 ? text.length() : end;
            if (stop - start > MAX_LINE_CHARS) {
                return new PlanResult(Optional.empty(), List.of(new PlanProblem(source, Optional.of(lineNo), Optional.empty(), "",
                        "line " + lineNo + " is " + megabytes(stop - start) + " long; a value in a plan may be at most "
                                + megabytes(MAX_LINE_CHARS) + " (put a long text in a file the task reads)")));
            }
            start = stop + 1;
        }
        JsonFactory factory = format == Format.JSON ? new JsonFactory() : new YAMLFactory();
        factory.setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(MAX_LINE_CHARS).build());
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        Map<String, String> scalars = new LinkedHashMap<>();
        JsonNode root;
        try {
            List<PlanProblem> structural = indexLocations(factory, text, Optional.empty(), scalars, source);
            if (!structural.isEmpty()) {
                return new PlanResult(Optional.empty(), structural);
            }
            root = new ObjectMapper(factory).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = (format == Format.JSON ? "JSON" : "YAML") + " syntax: " + firstLine(e.getOriginalMessage());
            return new PlanResult(Optional.empty(), List.of(new PlanProblem(source,
                    at == null ? Optional.empty() : Optional.of(at.getLineNr()),
                    at == null ? Optional.empty() : Optional.of(at.getColumnNr()), "", message)));
        } catch (IOException e) {
            return failure(source, "cannot read the plan: " + e.getMessage());
        }
        // Where each value stands is needed only to place a problem: a valid plan of 100,000 tasks never builds that index.
        Validation v = new Validation(source, () -> {
            Map<String, JsonLocation> locations = new LinkedHashMap<>();
            try {
                indexLocations(factory, text, Optional.of(locations), new LinkedHashMap<>(), source);
            } catch (IOException e) {
                // parsed once already: cannot fail now; problems are then reported without a line
            }
            return locations;
        }, scalars);
        if (root == null || root.isMissingNode() || root.isNull()) {
            v.problem("", "the plan is empty: it needs at least 'name' and 'tasks'");
            return v.result(Optional.empty());
        }
        if (!root.isObject()) {
            v.problem("", "a plan is a mapping with 'name', 'settings', 'agents' and 'tasks', not a " + kind(root));
            return v.result(Optional.empty());
        }
        return v.result(v.plan((ObjectNode) root, rosterAgents));
    }

    /**
     * Notes where every value stands (for problems' line and column) and each scalar as written;
     * returns what the plan may not use: YAML aliases (an alias would stand for its anchor's whole
     * value, which no field here expects: write it out), and a second document after the first.
     */
    private static List<PlanProblem> indexLocations(JsonFactory factory, String text, Optional<Map<String, JsonLocation>> locations,
                                                    Map<String, String> scalars, String source) throws IOException {
        List<PlanProblem> problems = new ArrayList<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t;
            int depth = 0;
            boolean rootDone = false;
            while ((t = p.nextToken()) != null) {
                JsonLocation at = p.currentTokenLocation();
                if (rootDone) {
                    problems.add(new PlanProblem(source, Optional.of(at.getLineNr()), Optional.of(at.getColumnNr()), "",
                            "a plan file holds one document; a second one starts here (remove the '---' and what follows, or make it its own file)"));
                    break;
                }
                if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
                    problems.add(new PlanProblem(source, Optional.of(at.getLineNr()), Optional.of(at.getColumnNr()),
                            Validation.readable(p.getParsingContext().pathAsPointer().toString()),
                            "YAML aliases (*" + p.getText() + ") are not supported: write the value out"));
                }
                boolean asWritten = t.isNumeric() || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE;
                if ((locations.isPresent() || asWritten)
                        && (t == JsonToken.FIELD_NAME || t.isScalarValue() || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        pointer = p.getParsingContext().getParent() == null ? ""
                                : p.getParsingContext().getParent().pathAsPointer().toString();
                    }
                    String where = pointer;
                    locations.ifPresent(l -> l.putIfAbsent(where, at));
                    if (asWritten) {
                        scalars.putIfAbsent(pointer, p.getText()); // only these read back differently from how they are written
                    }
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
                rootDone = depth == 0;
            }
        }
        return problems;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "string";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isArray()) {
            return "list";
        }
        if (n.isObject()) {
            return "mapping";
        }
        return "null";
    }

    /** One pass over the tree, collecting problems instead of stopping at the first. */
    private static final class Validation {
        private final String source;
        private final java.util.function.Supplier<Map<String, JsonLocation>> index;
        private Map<String, JsonLocation> locations;
        /** Each scalar as the file writes it: an id written 1e3 or 007 is that text, not the number YAML reads. */
        private final Map<String, String> scalars;
        private final List<PlanProblem> problems = new ArrayList<>();

        Validation(String source, java.util.function.Supplier<Map<String, JsonLocation>> index, Map<String, String> scalars) {
            this.source = source;
            this.index = index;
            this.scalars = scalars;
        }

        /** A number or true/false where a string is expected, as written in the file. */
        private String asWritten(JsonNode v, String pointer) {
            return v.isTextual() ? v.asText() : scalars.getOrDefault(pointer, v.asText());
        }

        PlanResult result(Optional<PlanSpec> plan) {
            return problems.isEmpty() ? new PlanResult(plan, List.of()) : new PlanResult(Optional.empty(), problems);
        }

        void problem(String pointer, String message) {
            JsonLocation at = locate(pointer);
            problems.add(new PlanProblem(source,
                    at == null ? Optional.empty() : Optional.of(at.getLineNr()),
                    at == null ? Optional.empty() : Optional.of(at.getColumnNr()),
                    readable(pointer), message));
        }

        private JsonLocation locate(String pointer) {
            if (locations == null) {
                locations = index.get();
            }
            JsonLocation exact = locations.get(pointer);
            if (exact != null) {
                return exact;
            }
            return locations.entrySet().stream().filter(e -> e.getKey().startsWith(pointer + "/")).findFirst()
                    .map(Map.Entry::getValue).orElse(null);
        }

        /** {@code /tasks/2/depends_on/0} reads as {@code tasks[2].depends_on[0]}. */
        private static String readable(String pointer) {
            StringBuilder sb = new StringBuilder();
            for (String part : pointer.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.chars().allMatch(Character::isDigit)) {
                    sb.append('[').append(part).append(']');
                } else {
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    sb.append(part.replace("~1", "/").replace("~0", "~"));
                }
            }
            return sb.toString();
        }

        void unknownKeys(ObjectNode node, String pointer, Set<String> allowed, String what) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    String hint = closest(key, allowed).map(k -> " (did you mean '" + k + "'?)").orElse("");
                    problem(pointer + "/" + key, "unknown key '" + key + "' in " + what + hint
                            + "; allowed: " + allowed.stream().sorted().collect(Collectors.joining(", ")));
                }
            }
        }

        Optional<String> text(ObjectNode node, String key, String pointer) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                return Optional.of(asWritten(v, pointer + "/" + key));
            }
            problem(pointer + "/" + key, "'" + key + "' must be a string, not a " + kind(v));
            return Optional.empty();
        }

        Optional<Integer> integer(ObjectNode node, String key, String pointer, int min) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                problem(pointer + "/" + key, "'" + key + "' must be a whole number, not " + describe(v));
                return Optional.empty();
            }
            if (v.intValue() < min) {
                problem(pointer + "/" + key, "'" + key + "' must be at least " + min + ", was " + v.intValue());
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        }

        boolean bool(ObjectNode node, String key, String pointer) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                problem(pointer + "/" + key, "'" + key + "' must be true or false, not " + describe(v));
                return false;
            }
            return v.booleanValue();
        }

        /** A string or a list of strings. */
        List<String> strings(ObjectNode node, String key, String pointer) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (v.isTextual() || v.isNumber()) {
                return List.of(asWritten(v, pointer + "/" + key));
            }
            if (!v.isArray()) {
                problem(pointer + "/" + key, "'" + key + "' must be a string or a list of strings, not a " + kind(v));
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (item.isTextual() || item.isNumber()) {
                    out.add(asWritten(item, pointer + "/" + key + "/" + i));
                } else {
                    problem(pointer + "/" + key + "/" + i, "each entry of '" + key + "' must be a string, not a " + kind(item));
                }
            }
            return out;
        }

        Optional<ObjectNode> object(ObjectNode node, String key, String pointer) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isObject()) {
                problem(pointer + "/" + key, "'" + key + "' must be a mapping, not a " + kind(v));
                return Optional.empty();
            }
            return Optional.of((ObjectNode) v);
        }

        private static String describe(JsonNode v) {
            return v.isTextual() ? "'" + v.asText() + "'" : kind(v) + (v.isValueNode() ? " " + v.asText() : "");
        }

        Optional<PlanSpec> plan(ObjectNode root, Set<String> rosterAgents) {
            unknownKeys(root, "", TOP_KEYS, "the plan");
            Optional<String> name = text(root, "name", "");
            text(root, "description", ""); // not kept, but checked like every other key
            if (name.isEmpty() || name.get().isBlank()) {
                problem("/name", "the plan needs a 'name'");
            }
            Optional<Integer> concurrency = Optional.empty();
            WaveMode waveMode = WaveMode.DATAFLOW;
            Watchdog watchdog = Watchdog.NONE;
            Optional<ObjectNode> settings = object(root, "settings", "");
            if (settings.isPresent()) {
                unknownKeys(settings.get(), "/settings", SETTINGS_KEYS, "settings");
                concurrency = integer(settings.get(), "concurrency", "/settings", 1);
                Optional<String> mode = text(settings.get(), "wave_mode", "/settings");
                if (mode.isPresent()) {
                    Optional<WaveMode> m = WaveMode.fromId(mode.get());
                    if (m.isEmpty()) {
                        problem("/settings/wave_mode", "wave_mode must be 'dataflow' or 'barrier', not '" + mode.get() + "'");
                    } else {
                        waveMode = m.get();
                    }
                }
                watchdog = object(settings.get(), "watchdog", "/settings").map(w -> watchdog(w, "/settings/watchdog")).orElse(Watchdog.NONE);
            }
            List<PlanSpec.AgentSpec> agents = agents(root);
            Set<String> knownAgents = new LinkedHashSet<>(rosterAgents);
            agents.forEach(a -> knownAgents.add(a.id()));
            List<TaskSpec> tasks = tasks(root, knownAgents);
            if (!problems.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PlanSpec(name.orElseThrow(), concurrency, waveMode, agents, tasks, watchdog));
        }

        private List<PlanSpec.AgentSpec> agents(ObjectNode root) {
            JsonNode node = root.get("agents");
            List<PlanSpec.AgentSpec> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (!node.isArray()) {
                problem("/agents", "'agents' must be a list, not a " + kind(node));
                return out;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String ptr = "/agents/" + i;
                JsonNode a = node.get(i);
                if (!a.isObject()) {
                    problem(ptr, "each agent must be a mapping with 'id' and 'profile', not a " + kind(a));
                    continue;
                }
                ObjectNode o = (ObjectNode) a;
                unknownKeys(o, ptr, AGENT_KEYS, "an agent");
                Optional<String> id = text(o, "id", ptr);
                if (id.isEmpty()) {
                    problem(ptr, "the agent needs an 'id'");
                } else if (!seen.add(id.get())) {
                    problem(ptr + "/id", "duplicate agent id '" + id.get() + "'");
                }
                Optional<AgentProfile> profile = profile(o, ptr);
                // An empty value ("profile:" in YAML) is a null node: as missing as no key at all.
                if (o.get("profile") == null || o.get("profile").isNull()) {
                    problem(ptr, "the agent needs a 'profile' (" + AgentProfile.allIds() + ")");
                }
                int max = integer(o, "max_concurrent", ptr, 1).orElse(1);
                Optional<String> model = text(o, "model", ptr);
                Optional<String> command = text(o, "command", ptr);
                if (id.isPresent() && profile.isPresent()) {
                    out.add(new PlanSpec.AgentSpec(id.get(), profile.get(), model, max, command));
                }
            }
            return out;
        }

        private Optional<AgentProfile> profile(ObjectNode o, String ptr) {
            Optional<String> p = text(o, "profile", ptr);
            if (p.isEmpty()) {
                return Optional.empty();
            }
            Optional<AgentProfile> profile = AgentProfile.fromId(p.get());
            if (profile.isEmpty()) {
                problem(ptr + "/profile", "unknown profile '" + p.get() + "'; known: " + AgentProfile.allIds());
            }
            return profile;
        }

        private List<TaskSpec> tasks(ObjectNode root, Set<String> knownAgents) {
            JsonNode node = root.get("tasks");
            List<TaskSpec> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                problem("/tasks", "the plan needs 'tasks': a list of at least one task");
                return out;
            }
            if (!node.isArray()) {
                problem("/tasks", "'tasks' must be a list, not a " + kind(node));
                return out;
            }
            if (node.isEmpty()) {
                problem("/tasks", "the plan has no tasks");
                return out;
            }
            Map<String, Integer> index = new LinkedHashMap<>();
            Map<String, List<String>> deps = new LinkedHashMap<>();
            for (int i = 0; i < node.size(); i++) {
                String ptr = "/tasks/" + i;
                JsonNode t = node.get(i);
                if (!t.isObject()) {
                    problem(ptr, "each task must be a mapping with at least 'id' and 'command' or 'prompt', not a " + kind(t));
                    continue;
                }
                task((ObjectNode) t, ptr, knownAgents).ifPresent(spec -> {
                    if (index.containsKey(spec.key())) {
                        problem(ptr + "/id", "duplicate task id '" + spec.key() + "' (first used by tasks["
                                + index.get(spec.key()) + "])");
                        return;
                    }
                    index.put(spec.key(), out.size());
                    deps.put(spec.key(), spec.dependsOn());
                    out.add(spec);
                });
            }
            for (int i = 0; i < out.size(); i++) {
                TaskSpec t = out.get(i);
                for (int d = 0; d < t.dependsOn().size(); d++) {
                    String dep = t.dependsOn().get(d);
                    if (dep.equals(t.key())) {
                        problem(pointerOf(node, t.key()) + "/depends_on", "task '" + t.key() + "' depends on itself");
                    } else if (!deps.containsKey(dep)) {
                        String hint = closest(dep, deps.keySet()).map(k -> " (did you mean '" + k + "'?)").orElse("");
                        problem(pointerOf(node, t.key()) + "/depends_on", "task '" + t.key()
                                + "' depends on unknown task '" + dep + "'" + hint);
                    }
                }
            }
            // Cycles among the tasks that exist are found whatever else is wrong: every problem at once.
            Map<String, List<String>> known = new LinkedHashMap<>();
            deps.forEach((k, ds) -> known.put(k, ds.stream().filter(d -> !d.equals(k) && deps.containsKey(d)).toList()));
            for (List<String> cycle : Dag.of(known).cycles()) {
                problem(pointerOf(node, cycle.getFirst()) + "/depends_on", "dependency cycle: " + String.join(" -> ", cycle));
            }
            return out;
        }

        private static String pointerOf(JsonNode tasks, String key) {
            for (int i = 0; i < tasks.size(); i++) {
                JsonNode id = tasks.get(i).get("id");
                if (id != null && key.equals(id.asText())) {
                    return "/tasks/" + i;
                }
            }
            return "/tasks";
        }

        private Optional<TaskSpec> task(ObjectNode o, String ptr, Set<String> knownAgents) {
            unknownKeys(o, ptr, TASK_KEYS, "a task");
            Optional<String> id = text(o, "id", ptr);
            if (id.isEmpty()) {
                problem(ptr, "the task needs an 'id'");
            } else if (!ID.matcher(id.get()).matches()) {
                problem(ptr + "/id", "task id '" + id.get() + "' may hold only letters, digits, '_', '.' and '-', and must start with a letter or digit");
            } else if (id.get().contains("..") || id.get().endsWith(".") || id.get().endsWith(".lock")) {
                problem(ptr + "/id", "task id '" + id.get() + "' names the task's git branch, which may not hold '..' or end with '.' or '.lock'");
            }
            String label = id.map(s -> "task '" + s + "'").orElse("the task");
            Optional<String> command = text(o, "command", ptr).filter(s -> !s.isBlank());
            // Both are read up front so that a wrong type in either is reported whatever the other holds.
            Optional<String> promptText = text(o, "prompt", ptr);
            Optional<String> description = text(o, "description", ptr);
            Optional<String> prompt = promptText.or(() -> description).filter(s -> !s.isBlank());
            if (command.isEmpty() && prompt.isEmpty()) {
                problem(ptr, label + " needs a 'command' (for a shell agent) or a 'prompt' (for an AI agent)");
            }
            String title = text(o, "title", ptr).filter(s -> !s.isBlank()).orElse(id.orElse(""));
            int priority = integer(o, "priority", ptr, Integer.MIN_VALUE).orElse(0);
            List<String> dependsOn = strings(o, "depends_on", ptr);
            Optional<String> agent = text(o, "agent", ptr);
            if (agent.isPresent() && !knownAgents.contains(agent.get())) {
                String hint = closest(agent.get(), knownAgents).map(k -> " (did you mean '" + k + "'?)").orElse("");
                problem(ptr + "/agent", label + " names unknown agent '" + agent.get() + "'" + hint
                        + "; declare it under 'agents' or hire it first");
            }
            Optional<String> profile = profile(o, ptr).map(AgentProfile::id);
            boolean pinned = bool(o, "pinned", ptr);
            if (pinned && agent.isEmpty() && profile.isEmpty()) {
                problem(ptr + "/pinned", label + " is pinned but names no 'agent' or 'profile' to pin it to");
            }
            boolean critical = bool(o, "critical", ptr);
            Optional<String> category = text(o, "category", ptr);
            TaskContext context = object(o, "context", ptr).map(c -> context(c, ptr + "/context")).orElse(TaskContext.NONE);
            List<String> verify = strings(o, "verify", ptr);
            int maxAttempts = integer(o, "max_attempts", ptr, 1).orElse(1);
            Optional<Duration> timeout = duration(o, "timeout", ptr);
            Watchdog watchdog = object(o, "watchdog", ptr).map(w -> watchdog(w, ptr + "/watchdog")).orElse(Watchdog.NONE);
            // A task with other problems still takes part in the dependency checks, so that every
            // problem of the file is reported in one go; the plan as a whole is invalid anyway.
            if (id.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new TaskSpec(id.get(), title, command, prompt, priority, dependsOn, agent, profile,
                    pinned, critical, category, context, verify, maxAttempts, timeout, watchdog));
        }

        /** {@code silence: 90s | off}, {@code on_stuck} and {@code on_repeated_error}: one of the policies. */
        private Watchdog watchdog(ObjectNode w, String ptr) {
            unknownKeys(w, ptr, WATCHDOG_KEYS, "watchdog settings");
            JsonNode s = w.get("silence");
            // YAML 1.1 reads a bare `off` as false.
            boolean off = s != null && (s.isTextual() && s.asText().trim().equalsIgnoreCase("off") || s.isBoolean() && !s.asBoolean());
            Optional<Duration> silence = off ? Optional.of(Watchdog.OFF) : duration(w, "silence", ptr);
            return new Watchdog(silence, policy(w, "on_stuck", ptr), policy(w, "on_repeated_error", ptr));
        }

        private Optional<Watchdog.Policy> policy(ObjectNode w, String key, String ptr) {
            Optional<String> text = text(w, key, ptr);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            Optional<Watchdog.Policy> p = Watchdog.Policy.fromId(text.get());
            if (p.isEmpty()) {
                problem(ptr + "/" + key, "'" + key + "' must be one of " + Watchdog.Policy.allIds() + ", not '" + text.get() + "'");
            }
            return p;
        }

        private TaskContext context(ObjectNode c, String ptr) {
            unknownKeys(c, ptr, CONTEXT_KEYS, "a task's context");
            Map<String, String> env = new LinkedHashMap<>();
            object(c, "env", ptr).ifPresent(e -> e.properties().forEach(entry -> {
                JsonNode v = entry.getValue();
                if (v.isValueNode() && !v.isNull()) {
                    env.put(entry.getKey(), v.asText());
                } else {
                    problem(ptr + "/env/" + entry.getKey(), "environment variable '" + entry.getKey()
                            + "' must be a string, not a " + kind(v));
                }
            }));
            Optional<String> branch = text(c, "branch", ptr);
            branch.flatMap(GitNames::branchProblem).ifPresent(why -> problem(ptr + "/branch", "branch '" + branch.get() + "' " + why));
            boolean worktree = bool(c, "worktree", ptr);
            Optional<String> workingDir = text(c, "working_dir", ptr);
            if (worktree) {
                workingDir.flatMap(GitNames::insideProblem).ifPresent(why -> problem(ptr + "/working_dir",
                        "working_dir '" + workingDir.get() + "' " + why + ": a task with a worktree works inside it"));
            }
            List<String> copyFiles = strings(c, "copy_files", ptr);
            for (int i = 0; i < copyFiles.size(); i++) {
                String file = copyFiles.get(i);
                int at = i;
                GitNames.insideProblem(file).ifPresent(why -> problem(ptr + "/copy_files/" + at,
                        "file to copy '" + file + "' " + why + ": copy_files come from inside the repository"));
            }
            return new TaskContext(text(c, "repo", ptr), workingDir, branch, worktree, env, strings(c, "setup", ptr), copyFiles);
        }

        private Optional<Duration> duration(ObjectNode o, String key, String ptr) {
            JsonNode v = o.get(key);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            Matcher m = DURATION.matcher(v.asText().trim());
            if ((v.isTextual() || v.isIntegralNumber()) && m.matches()) {
                String unit = m.group(2) == null ? "s" : m.group(2);
                Duration d;
                try {
                    d = PlanReader.duration(Long.parseLong(m.group(1)), unit);
                } catch (NumberFormatException | ArithmeticException e) {
                    problem(ptr + "/" + key, "'" + key + "' is too long: " + v.asText());
                    return Optional.empty();
                }
                if (d.isZero()) {
                    problem(ptr + "/" + key, "'" + key + "' must be longer than zero");
                    return Optional.empty();
                }
                return Optional.of(d);
            }
            problem(ptr + "/" + key, "'" + key + "' must be a duration such as 90s, 10m or 2h, not " + describe(v));
            return Optional.empty();
        }
    }

    /** The allowed word nearest to a misspelt one, when it is near enough to be a likely typo. */
    static Optional<String> closest(String word, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
