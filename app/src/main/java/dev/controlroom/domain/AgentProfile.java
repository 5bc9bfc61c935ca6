package dev.controlroom.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How an agent is started and read: one per supported CLI, plus plain shell commands and custom templates. */
public enum AgentProfile {
    CLAUDE("claude", "claude", true),
    CODEX("codex", "codex", true),
    GEMINI("gemini", "gemini", true),
    OPENCODE("opencode", "opencode", true),
    QWEN("qwen", "qwen", true),
    AIDER("aider", "aider", true),
    OLLAMA("ollama", "ollama", true),
    SHELL("shell", null, false),
    CUSTOM("custom", null, false);

    private final String id;
    private final String executable;
    private final boolean ai;

    AgentProfile(String id, String executable, boolean ai) {
        this.id = id;
        this.executable = executable;
        this.ai = ai;
    }

    /** The name used in plan files, the database and the UI. */
    public String id() {
        return id;
    }

    /** The command looked up on PATH to detect the CLI, when the profile wraps one. */
    public Optional<String> executable() {
        return Optional.ofNullable(executable);
    }

    /** True for profiles that are asked with a prompt rather than given a command. */
    public boolean isAi() {
        return ai;
    }

    public static Optional<AgentProfile> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
    }

    public static String allIds() {
        return String.join(", ", Arrays.stream(values()).map(AgentProfile::id).toList());
    }
}
