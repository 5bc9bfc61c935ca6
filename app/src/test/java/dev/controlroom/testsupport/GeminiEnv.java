package dev.controlroom.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete environment and a private {@code HOME} for running the real {@code gemini} against a
 * {@link MockGeminiServer}: complete, not additions, so no real key or setting of the developer
 * leaks in.
 *
 * <p>What the real CLI (0.61) needs: {@code GEMINI_API_KEY} (any string) and
 * {@code GOOGLE_GEMINI_BASE_URL}; that variable alone would select the "gateway" auth type, which
 * headless mode rejects ("Invalid auth method selected.", exit 41), so {@code ~/.gemini/settings.json}
 * selects {@code gemini-api-key}, whose client honours the same variable. Usage statistics and update
 * checks are off there. Headless mode refuses an untrusted folder (exit 55) unless given
 * {@code --skip-trust} or {@code GEMINI_CLI_TRUST_WORKSPACE=true}; Control Room passes the flag.
 */
public final class GeminiEnv {
    public static final String API_KEY = "gemini-mock-not-a-real-key";

    private final Map<String, String> variables;

    private GeminiEnv(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** Writes the settings under {@code stateDir/home}; {@code baseUrl} is {@link MockGeminiServer#baseUrl()}. */
    public static GeminiEnv create(String baseUrl, Path stateDir) throws IOException {
        Path home = Files.createDirectories(stateDir.resolve("home"));
        Files.createDirectories(home.resolve(".gemini"));
        Files.writeString(home.resolve(".gemini/settings.json"), """
                {
                  "security": {"auth": {"selectedType": "gemini-api-key"}},
                  "privacy": {"usageStatisticsEnabled": false},
                  "general": {"disableAutoUpdate": true, "disableUpdateNag": true}
                }
                """);
        Map<String, String> variables = new LinkedHashMap<>(CliRun.baseEnvironment());
        variables.put("HOME", home.toString());
        variables.put("GEMINI_API_KEY", API_KEY);
        variables.put("GOOGLE_GEMINI_BASE_URL", baseUrl);
        return new GeminiEnv(variables);
    }

    public Map<String, String> variables() {
        return variables;
    }

    /** {@code gemini --prompt=PROMPT} headless with its JSON stream, as Control Room starts it. */
    public List<String> headless(String prompt) {
        return List.of(AgentClis.gemini().toString(), "--output-format", "stream-json", "--skip-trust", "--approval-mode",
                "auto_edit", "--prompt=" + prompt);
    }
}
