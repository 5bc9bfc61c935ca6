package dev.controlroom.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete environment and a private {@code CODEX_HOME} for running the real {@code codex}
 * against a {@link MockResponsesServer}.
 *
 * <p>What the real CLI needs: a custom provider in {@code $CODEX_HOME/config.toml} with
 * {@code wire_api = "responses"}, an {@code env_key} naming the variable that holds the key, and
 * retries off ({@code request_max_retries}, {@code stream_max_retries}); {@code approval_policy =
 * "never"} and {@code sandbox_mode = "danger-full-access"} so commands run without asking; a
 * model slug it knows. {@code codex exec} refuses to run outside a Git repository ("Not inside a
 * trusted directory") whatever {@code projects.*.trust_level} says, hence
 * {@code --skip-git-repo-check} in the commands here; in a Git repository neither is needed. It
 * reads stdin when it is not a terminal ("Reading additional input from stdin..."): give it
 * {@code /dev/null}. It refuses to put its helper binaries under {@code /tmp} (a warning on
 * stderr), so keep {@code CODEX_HOME} elsewhere when the warning matters.
 */
public final class CodexEnv {
    public static final String KEY_VARIABLE = "CONTROL_ROOM_MOCK_OPENAI_KEY";
    public static final String API_KEY = "sk-mock-not-a-real-key";

    private final Path codexHome;
    private final Map<String, String> variables;

    private CodexEnv(Path codexHome, Map<String, String> variables) {
        this.codexHome = codexHome;
        this.variables = Map.copyOf(variables);
    }

    /** The state (home, CODEX_HOME) goes under {@code stateDir}; {@code baseUrl} is {@link MockResponsesServer#baseUrl()}. */
    public static Builder builder(String baseUrl, Path stateDir) {
        return new Builder(baseUrl, stateDir);
    }

    public Map<String, String> variables() {
        return variables;
    }

    public Path codexHome() {
        return codexHome;
    }

    /** {@code codex exec --json PROMPT}. */
    public List<String> exec(String prompt) {
        return List.of(AgentClis.codex().toString(), "exec", "--json", "--skip-git-repo-check", prompt);
    }

    /** The next prompt of an existing thread, by the id its {@code thread.started} line gave. */
    public List<String> resume(String threadId, String prompt) {
        return List.of(AgentClis.codex().toString(), "exec", "--json", "--skip-git-repo-check", "resume", threadId,
                prompt);
    }

    public static final class Builder {
        private final String baseUrl;
        private final Path stateDir;
        private String model = "gpt-5.5";
        private int requestMaxRetries;
        private int streamMaxRetries;
        private Duration streamIdleTimeout = Duration.ofSeconds(60);
        private final List<Path> trusted = new ArrayList<>();
        private final Map<String, String> extra = new LinkedHashMap<>();

        private Builder(String baseUrl, Path stateDir) {
            this.baseUrl = baseUrl;
            this.stateDir = stateDir;
        }

        /** A model slug Codex knows; {@code gpt-5.5} unless set. */
        public Builder model(String slug) {
            this.model = slug;
            return this;
        }

        /** {@code request_max_retries} (failed HTTP requests) and {@code stream_max_retries}; 0 unless set. */
        public Builder retries(int requests, int streams) {
            this.requestMaxRetries = requests;
            this.streamMaxRetries = streams;
            return this;
        }

        /** {@code stream_idle_timeout_ms}: how long a silent stream is waited for; 60 s unless set. */
        public Builder streamIdleTimeout(Duration timeout) {
            this.streamIdleTimeout = timeout;
            return this;
        }

        /** Marks a project folder trusted, as the interactive CLI would after asking. */
        public Builder trust(Path project) {
            trusted.add(project.toAbsolutePath());
            return this;
        }

        public Builder set(String name, String value) {
            extra.put(name, value);
            return this;
        }

        public CodexEnv build() throws IOException {
            Path home = Files.createDirectories(stateDir.resolve("home"));
            Path codexHome = Files.createDirectories(stateDir.resolve("codex-home"));
            Files.writeString(codexHome.resolve("config.toml"), config());
            Map<String, String> env = new LinkedHashMap<>(CliRun.baseEnvironment());
            env.put("HOME", home.toString());
            env.put("CODEX_HOME", codexHome.toString());
            env.put(KEY_VARIABLE, API_KEY);
            env.putAll(extra);
            return new CodexEnv(codexHome, env);
        }

        private String config() {
            StringBuilder toml = new StringBuilder()
                    .append("model = ").append(quoted(model)).append('\n')
                    .append("model_provider = \"mock\"\n")
                    .append("approval_policy = \"never\"\n")
                    .append("sandbox_mode = \"danger-full-access\"\n")
                    .append('\n')
                    .append("[model_providers.mock]\n")
                    .append("name = \"Mock\"\n")
                    .append("base_url = ").append(quoted(baseUrl)).append('\n')
                    .append("wire_api = \"responses\"\n")
                    .append("env_key = ").append(quoted(KEY_VARIABLE)).append('\n')
                    .append("request_max_retries = ").append(requestMaxRetries).append('\n')
                    .append("stream_max_retries = ").append(streamMaxRetries).append('\n')
                    .append("stream_idle_timeout_ms = ").append(streamIdleTimeout.toMillis()).append('\n');
            for (Path project : trusted) {
                toml.append('\n').append("[projects.").append(quoted(project.toString())).append("]\n")
                        .append("trust_level = \"trusted\"\n");
            }
            return toml.toString();
        }

        private static String quoted(String value) {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }
}
