package dev.controlroom.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model Codex runs on when its agent names none: Codex's JSON stream never says it, so it is
 * read where Codex reads it, {@code $CODEX_HOME/config.toml} ({@code ~/.codex} by default): the
 * {@code model} of the selected {@code profile}, else the top-level {@code model}.
 */
public final class CodexConfig {
    private static final Pattern TABLE = Pattern.compile("^\\[\\s*([^\\]]+?)\\s*]$");
    private static final Pattern STRING_KEY = Pattern.compile("^([A-Za-z0-9_.\"-]+)\\s*=\\s*(\"([^\"\\\\]*)\"|'([^']*)')\\s*(#.*)?$");

    private CodexConfig() {
    }

    /** The model configured for a Codex process started with this environment ({@code CODEX_HOME}, {@code HOME}). */
    public static Optional<String> model(Map<String, String> environment) {
        Path home = Optional.ofNullable(environment.get("CODEX_HOME")).filter(h -> !h.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(Optional.ofNullable(environment.get("HOME")).filter(h -> !h.isBlank())
                        .orElse(System.getProperty("user.home")), ".codex"));
        return modelIn(home.resolve("config.toml"));
    }

    /** The model a {@code config.toml} selects; empty when the file is missing, unreadable or names none. */
    static Optional<String> modelIn(Path configToml) {
        String text;
        try {
            text = Files.readString(configToml, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no config: Codex uses its built-in default, which it does not say either
        }
        Map<String, String> values = new HashMap<>();
        String table = "";
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            Matcher header = TABLE.matcher(line);
            if (header.matches()) {
                table = header.group(1).replace("\"", "");
                continue;
            }
            Matcher kv = STRING_KEY.matcher(line);
            if (kv.matches()) {
                String key = kv.group(1).replace("\"", "");
                String value = kv.group(3) != null ? kv.group(3) : kv.group(4);
                values.putIfAbsent(table.isEmpty() ? key : table + "." + key, value);
            }
        }
        Optional<String> profile = Optional.ofNullable(values.get("profile"));
        return profile.map(p -> values.get("profiles." + p + ".model")).or(() -> Optional.ofNullable(values.get("model")))
                .filter(m -> !m.isBlank());
    }
}
