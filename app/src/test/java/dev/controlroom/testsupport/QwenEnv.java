package dev.controlroom.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete environment and a private {@code HOME} for running the real {@code qwen} against a
 * {@link MockChatServer}.
 *
 * <p>What the real CLI (0.15) needs: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} (with
 * {@code /v1}) and {@code OPENAI_MODEL} together select its OpenAI-compatible client without a
 * login. {@code ~/.qwen/settings.json} turns off what would make extra model calls or reach the
 * internet: the managed memory (a second, "memory extraction" conversation after every run), usage
 * statistics, telemetry and update checks; and sets the client's retries and request timeout
 * ({@code model.generationConfig}: default 3 retries, 120 s). Sessions live in
 * {@code ~/.qwen/projects}, which {@code --resume ID} reads.
 */
public final class QwenEnv {
    public static final String API_KEY = "sk-mock-not-a-real-key";
    public static final String MODEL = "qwen-mock-model";

    private final Map<String, String> variables;

    private QwenEnv(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** Writes the settings under {@code stateDir/home}; {@code baseUrl} is {@link MockChatServer#baseUrl()}. */
    public static QwenEnv create(String baseUrl, Path stateDir, Duration requestTimeout) throws IOException {
        Path home = Files.createDirectories(stateDir.resolve("home"));
        Files.createDirectories(home.resolve(".qwen"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode settings = json.createObjectNode();
        settings.putObject("memory").put("enableManagedAutoMemory", false);
        settings.putObject("privacy").put("usageStatisticsEnabled", false);
        settings.putObject("telemetry").put("enabled", false);
        settings.putObject("general").put("disableAutoUpdate", true).put("disableUpdateNag", true);
        settings.putObject("model").putObject("generationConfig").put("maxRetries", 0).put("timeout", requestTimeout.toMillis());
        Files.writeString(home.resolve(".qwen/settings.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(settings));

        Map<String, String> variables = new LinkedHashMap<>(CliRun.baseEnvironment());
        variables.put("HOME", home.toString());
        variables.put("OPENAI_API_KEY", API_KEY);
        variables.put("OPENAI_BASE_URL", baseUrl);
        variables.put("OPENAI_MODEL", MODEL);
        return new QwenEnv(variables);
    }

    public Map<String, String> variables() {
        return variables;
    }

    /** {@code qwen --prompt=PROMPT} headless with its JSON stream, as Control Room starts it. */
    public List<String> headless(String prompt) {
        return List.of(AgentClis.qwen().toString(), "--output-format", "stream-json", "--include-partial-messages",
                "--approval-mode", "auto-edit", "--prompt=" + prompt);
    }
}
