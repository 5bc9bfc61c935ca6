package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.Watchdog;
import dev.controlroom.domain.Watchdog.Policy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The watchdog's settings for one run, from the innermost level out: the task, its task list,
 * the agent, the agent's profile, the engine's own setting, and the profile's built-in default.
 * Each CLI's default stays below that CLI's own request limits (Claude Code and Codex give up on
 * a request after about five minutes), so a hang is ours to catch, not theirs to time out.
 *
 * @param taskList  the task list's {@code settings.watchdog}
 * @param byAgent   settings {@code watchdog.agent.<name>.<key>}
 * @param byProfile settings {@code watchdog.profile.<id>.<key>}
 * @param engine    the engine's silence for every profile, when it sets one (tests, benchmarks)
 */
public record WatchRules(Watchdog taskList, Map<String, Watchdog> byAgent, Map<String, Watchdog> byProfile, Optional<Duration> engine) {
    /** The settings' key prefix. */
    public static final String SETTINGS_PREFIX = "watchdog.";
    private static final Pattern KEY = Pattern.compile("(agent|profile)\\.(.+)\\.(silence|on_stuck|on_repeated_error)");

    public static final WatchRules NONE = new WatchRules(Watchdog.NONE, Map.of(), Map.of(), Optional.empty());

    public WatchRules {
        byAgent = Map.copyOf(byAgent);
        byProfile = Map.copyOf(byProfile);
    }

    /** What the watchdog does for one session. */
    public record Resolved(Duration silence, Policy onStuck, Policy onRepeatedError) {
        public boolean off() {
            return silence.isZero();
        }
    }

    /**
     * The silence each profile gets when nothing else is set. A shell command's silence says
     * nothing (a build or a download may print nothing for long): only its timeout bounds it,
     * unless a silence is set for it.
     */
    public static Duration builtIn(String profile) {
        return switch (profile) {
            case "claude", "codex", "gemini", "qwen" -> Duration.ofSeconds(120);
            // OpenCode prints nothing while an answer streams (only whole parts): a long answer is minutes of silence.
            case "opencode" -> Duration.ofSeconds(300);
            case "aider", "ollama" -> Duration.ofSeconds(180);
            case "custom" -> Duration.ofSeconds(300);
            default -> Watchdog.OFF;
        };
    }

    public Resolved resolve(TaskSpec task, String agentName, String profile) {
        Watchdog w = task.watchdog().over(taskList)
                .over(byAgent.getOrDefault(agentName, Watchdog.NONE))
                .over(byProfile.getOrDefault(profile, Watchdog.NONE));
        Duration silence = w.silence().or(() -> engine).orElseGet(() -> builtIn(profile));
        return new Resolved(silence, w.onStuck().orElse(Policy.RESTART), w.onRepeatedError().orElse(Policy.HANDOFF));
    }

    /** Reads the agents' and profiles' settings ({@code agent.claude-1.silence = 90s}); values that do not parse are left out. */
    public static WatchRules of(Watchdog taskList, Map<String, String> settings, Optional<Duration> engine) {
        Map<String, Watchdog> agents = new LinkedHashMap<>();
        Map<String, Watchdog> profiles = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                return;
            }
            Map<String, Watchdog> into = m.group(1).equals("agent") ? agents : profiles;
            Watchdog w = switch (m.group(3)) {
                case "silence" -> Watchdog.parseSilence(value).map(Watchdog::silence).orElse(Watchdog.NONE);
                case "on_stuck" -> new Watchdog(Optional.empty(), Policy.fromId(value), Optional.empty());
                default -> new Watchdog(Optional.empty(), Optional.empty(), Policy.fromId(value));
            };
            into.merge(m.group(2), w, Watchdog::over);
        });
        return new WatchRules(taskList, agents, profiles, engine);
    }

}
