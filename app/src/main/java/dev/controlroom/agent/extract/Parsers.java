package dev.controlroom.agent.extract;

import dev.controlroom.domain.AgentProfile;

import java.time.Clock;

/** Picks the output parser for an agent profile. */
public final class Parsers {
    private Parsers() {
    }

    /**
     * Parser for a profile id ("claude", "codex", "gemini", "opencode", "qwen", "aider", "ollama", "shell",
     * "custom"); {@code structured} = whether the CLI was started with its JSON stream. Structured
     * parsers also run the plain patterns over non-JSON lines; a profile without a JSON stream, or an
     * unknown id, gets the plain parser.
     */
    public static OutputParser forProfile(String profileId, boolean structured) {
        return forProfile(profileId, structured, Clock.systemDefaultZone());
    }

    /** As {@link #forProfile(String, boolean)}, with the clock (and its zone) that relative and clock-time reset times are read against. */
    public static OutputParser forProfile(String profileId, boolean structured, Clock clock) {
        AgentProfile profile = AgentProfile.fromId(profileId).orElse(AgentProfile.CUSTOM);
        if (!structured) {
            return new PlainParser(clock);
        }
        return switch (profile) {
            case CLAUDE -> new ClaudeStreamParser(clock);
            case CODEX -> new CodexJsonParser(clock);
            case GEMINI -> new GeminiStreamParser(clock);
            case OPENCODE -> new OpenCodeJsonParser(clock);
            case QWEN -> new QwenStreamParser(clock);
            case AIDER, OLLAMA, SHELL, CUSTOM -> new PlainParser(clock);
        };
    }

    /** A question on a line the output paused on before its end (a shell's {@code read -p}, an installer's prompt). */
    public static java.util.Optional<AgentEvent.NeedsInput> openLineQuestion(String text) {
        return PlainPatterns.needsInput(text);
    }
}
