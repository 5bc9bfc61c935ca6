package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete environment and a private {@code HOME} for running the real {@code opencode} against a
 * {@link MockChatServer}.
 *
 * <p>What the real CLI (1.18) needs: a custom provider in {@code ~/.config/opencode/opencode.json}
 * on {@code @ai-sdk/openai-compatible} (bundled: nothing is downloaded) with the mock's
 * {@code baseURL}, any {@code apiKey}, the model listed under it and chosen as {@code model}
 * ({@code provider/model}). The {@code OPENCODE_DISABLE_*} variables keep it from fetching the
 * models.dev catalogue, checking for updates, sharing sessions or loading default plugins. It keeps
 * its sessions in {@code ~/.local/share/opencode} (SQLite), which {@code --session ID} reads.
 */
public final class OpenCodeEnv {
    public static final String API_KEY = "sk-mock-not-a-real-key";
    public static final String PROVIDER = "mock";
    public static final String MODEL = "mock-model";

    private final Map<String, String> variables;

    private OpenCodeEnv(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** Writes the config under {@code stateDir/home}; {@code baseUrl} is {@link MockChatServer#baseUrl()}. */
    public static OpenCodeEnv create(String baseUrl, Path stateDir) throws IOException {
        Path home = Files.createDirectories(stateDir.resolve("home"));
        Path configDir = Files.createDirectories(home.resolve(".config/opencode"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode().put("$schema", "https://opencode.ai/config.json");
        ObjectNode provider = config.putObject("provider").putObject(PROVIDER).put("npm", "@ai-sdk/openai-compatible")
                .put("name", "Mock");
        provider.putObject("options").put("baseURL", baseUrl).put("apiKey", API_KEY);
        provider.putObject("models").putObject(MODEL).put("name", "Mock Model");
        config.put("model", PROVIDER + "/" + MODEL).put("autoupdate", false).put("share", "disabled");
        Files.writeString(configDir.resolve("opencode.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(config));

        Map<String, String> variables = new LinkedHashMap<>(CliRun.baseEnvironment());
        variables.put("HOME", home.toString());
        for (String off : List.of("MODELS_FETCH", "AUTOUPDATE", "SHARE", "DEFAULT_PLUGINS", "LSP_DOWNLOAD")) {
            variables.put("OPENCODE_DISABLE_" + off, "1");
        }
        return new OpenCodeEnv(variables);
    }

    public Map<String, String> variables() {
        return variables;
    }

    /** {@code opencode run --format json -- PROMPT}, as Control Room starts it. */
    public List<String> run(String prompt) {
        return List.of(AgentClis.opencode().toString(), "run", "--format", "json", "--", prompt);
    }
}
