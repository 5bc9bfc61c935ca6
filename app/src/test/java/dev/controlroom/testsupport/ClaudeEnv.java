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
 * A complete environment for running the real {@code claude} against a {@link MockAnthropicServer}:
 * complete, not additions, because the inherited one may carry real credentials
 * ({@code ANTHROPIC_API_KEY}, {@code CLAUDE_CODE_OAUTH_TOKEN}) or settings of the developer.
 *
 * <p>What the real CLI needs: {@code ANTHROPIC_BASE_URL} without {@code /v1}; any API key;
 * {@code IS_SANDBOX=1} because {@code --dangerously-skip-permissions} refuses to run as root
 * without it; {@code CLAUDE_CODE_MAX_RETRIES} (default 10 retries over minutes) and
 * {@code API_TIMEOUT_MS} (default 10 minutes) so failures show up in seconds;
 * {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1} so it makes no title request and no calls
 * to the internet; a private {@code HOME} and {@code CLAUDE_CONFIG_DIR}, where it keeps the
 * sessions that {@code --resume} reads (same config dir and same working directory needed).
 * Print mode needs no config files. The interactive TUI without them shows its onboarding, tries
 * to reach api.anthropic.com and gives up; {@link Builder#interactive(Path)} writes the
 * {@code .claude.json} (in {@code CLAUDE_CONFIG_DIR}) of a user who finished onboarding, approved
 * this API key, accepted bypass mode and trusted the project.
 */
public final class ClaudeEnv {
    public static final String API_KEY = "sk-ant-mock-not-a-real-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Map<String, String> variables;

    private ClaudeEnv(Path home, Map<String, String> variables) {
        this.home = home;
        this.variables = Map.copyOf(variables);
    }

    /** The state (home, config dir) goes under {@code stateDir}; {@code baseUrl} is {@link MockAnthropicServer#baseUrl()}. */
    public static Builder builder(String baseUrl, Path stateDir) {
        return new Builder(baseUrl, stateDir);
    }

    public Map<String, String> variables() {
        return variables;
    }

    public Path home() {
        return home;
    }

    public Path configDir() {
        return Path.of(variables.get("CLAUDE_CONFIG_DIR"));
    }

    /** {@code claude -p PROMPT} with the JSON event stream, permissions skipped. */
    public List<String> print(String prompt) {
        return List.of(AgentClis.claude().toString(), "-p", prompt, "--output-format", "stream-json", "--verbose",
                "--dangerously-skip-permissions");
    }

    /** The interactive TUI, permissions skipped (build with {@link Builder#interactive(Path)}, run in a PTY). */
    public List<String> interactive() {
        return List.of(AgentClis.claude().toString(), "--dangerously-skip-permissions");
    }

    /** The next prompt of an existing session, by the id its {@code system/init} line gave. */
    public List<String> resume(String sessionId, String prompt) {
        return List.of(AgentClis.claude().toString(), "-p", prompt, "--resume", sessionId, "--output-format",
                "stream-json", "--verbose", "--dangerously-skip-permissions");
    }

    public static final class Builder {
        private final String baseUrl;
        private final Path stateDir;
        private int maxRetries;
        private Duration apiTimeout = Duration.ofSeconds(60);
        private final Map<String, String> extra = new LinkedHashMap<>();
        private Path interactiveProject;

        private Builder(String baseUrl, Path stateDir) {
            this.baseUrl = baseUrl;
            this.stateDir = stateDir;
        }

        /** {@code CLAUDE_CODE_MAX_RETRIES}; 0 unless set. */
        public Builder maxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        /** {@code API_TIMEOUT_MS}, per request; 60 s unless set. */
        public Builder apiTimeout(Duration timeout) {
            this.apiTimeout = timeout;
            return this;
        }

        public Builder set(String name, String value) {
            extra.put(name, value);
            return this;
        }

        /** Prepares the config for the interactive TUI, working in {@code project}. */
        public Builder interactive(Path project) {
            this.interactiveProject = project.toAbsolutePath();
            return this;
        }

        public ClaudeEnv build() throws IOException {
            Path home = Files.createDirectories(stateDir.resolve("home"));
            Path config = Files.createDirectories(home.resolve(".claude"));
            if (interactiveProject != null) {
                Files.writeString(config.resolve(".claude.json"), interactiveConfig(interactiveProject));
            }
            Map<String, String> env = new LinkedHashMap<>(CliRun.baseEnvironment());
            env.put("HOME", home.toString());
            env.put("CLAUDE_CONFIG_DIR", config.toString());
            env.put("ANTHROPIC_BASE_URL", baseUrl);
            env.put("ANTHROPIC_API_KEY", API_KEY);
            env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            env.put("DISABLE_AUTOUPDATER", "1");
            env.put("CLAUDE_CODE_MAX_RETRIES", Integer.toString(maxRetries));
            env.put("API_TIMEOUT_MS", Long.toString(apiTimeout.toMillis()));
            env.put("IS_SANDBOX", "1");
            env.putAll(extra);
            return new ClaudeEnv(home, env);
        }

        /** The CLI remembers an approved key by its last 20 characters. */
        private static String interactiveConfig(Path project) {
            ObjectNode config = JSON.createObjectNode()
                    .put("hasCompletedOnboarding", true)
                    .put("lastOnboardingVersion", AgentClis.CLAUDE_CODE_VERSION)
                    .put("bypassPermissionsModeAccepted", true);
            ObjectNode keys = config.putObject("customApiKeyResponses");
            keys.putArray("approved").add(API_KEY.substring(API_KEY.length() - 20));
            keys.putArray("rejected");
            ObjectNode trusted = config.putObject("projects").putObject(project.toString())
                    .put("hasTrustDialogAccepted", true);
            trusted.putArray("allowedTools");
            return config.toPrettyString();
        }
    }
}
