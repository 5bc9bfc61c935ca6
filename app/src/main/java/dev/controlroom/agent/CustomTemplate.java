package dev.controlroom.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom agent's command template ({@code mycli --model {model} {prompt}}) made into a shell line
 * in which no value can become shell syntax: each placeholder becomes a reference to an environment
 * variable that holds the value, written for the quoting it stands in (bare, inside double quotes,
 * inside single quotes). The template is read once, left to right, so a value that itself reads
 * {@code {model}} or {@code $(rm -rf ~)} is only ever text.
 */
public final class CustomTemplate {
    /** Placeholder name to the variable its value travels in. */
    static final Map<String, String> VARIABLES = Map.of(
            "prompt", "CONTROL_ROOM_PROMPT",
            "prompt_file", "CONTROL_ROOM_PROMPT_FILE",
            "model", "CONTROL_ROOM_MODEL",
            "workdir", "CONTROL_ROOM_WORKDIR",
            "session_id", "CONTROL_ROOM_AGENT_SESSION");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(prompt_file|prompt|model|workdir|session_id)}");

    private CustomTemplate() {
    }

    /** The shell line, and the variables to start it with. */
    public record Expanded(String line, Map<String, String> environment) {
    }

    /** @param values placeholder name to its value (prompt, prompt_file, model, workdir, session_id) */
    public static Expanded expand(String template, Map<String, String> values) {
        StringBuilder line = new StringBuilder(template.length() + 32);
        Map<String, String> env = new LinkedHashMap<>();
        char quote = 0;
        Matcher m = PLACEHOLDER.matcher(template);
        int i = 0;
        while (i < template.length()) {
            if (m.find(i) && m.start() == i) {
                String name = m.group(1);
                String variable = VARIABLES.get(name);
                env.put(variable, values.getOrDefault(name, ""));
                line.append(switch (quote) {
                    case '"' -> "${" + variable + "}";
                    // Inside single quotes nothing expands: close them, put the quoted reference, open them again.
                    case '\'' -> "'\"${" + variable + "}\"'";
                    default -> "\"${" + variable + "}\"";
                });
                i = m.end();
                continue;
            }
            char c = template.charAt(i);
            line.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < template.length()) {
                line.append(template.charAt(i + 1));
                i += 2;
                continue;
            }
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            i++;
        }
        return new Expanded(line.toString(), env);
    }
}
