package dev.controlroom.domain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of work as a plan declares it. {@code key} is the id the plan file gives the task;
 * {@code agent} names a roster agent, {@code profile} an agent kind, both preferences unless pinned.
 */
public record TaskSpec(
        String key,
        String title,
        Optional<String> command,
        Optional<String> prompt,
        int priority,
        List<String> dependsOn,
        Optional<String> agent,
        Optional<String> profile,
        boolean pinned,
        boolean critical,
        Optional<String> category,
        TaskContext context,
        List<String> verify,
        int maxAttempts,
        Optional<Duration> timeout,
        Watchdog watchdog) {

    public TaskSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(watchdog, "watchdog");
        dependsOn = List.copyOf(dependsOn);
        verify = List.copyOf(verify);
    }

    /** A task that leaves the watchdog to its task list's settings. */
    public TaskSpec(String key, String title, Optional<String> command, Optional<String> prompt, int priority, List<String> dependsOn,
                    Optional<String> agent, Optional<String> profile, boolean pinned, boolean critical, Optional<String> category,
                    TaskContext context, List<String> verify, int maxAttempts, Optional<Duration> timeout) {
        this(key, title, command, prompt, priority, dependsOn, agent, profile, pinned, critical, category, context, verify,
                maxAttempts, timeout, Watchdog.NONE);
    }

    public TaskSpec withWatchdog(Watchdog w) {
        return new TaskSpec(key, title, command, prompt, priority, dependsOn, agent, profile, pinned, critical, category, context,
                verify, maxAttempts, timeout, w);
    }

    /** A minimal shell task, handy for tests and samples. */
    public static TaskSpec shell(String key, String command, String... dependsOn) {
        return new TaskSpec(key, key, Optional.of(command), Optional.empty(), 0, List.of(dependsOn),
                Optional.empty(), Optional.empty(), false, false, Optional.empty(), TaskContext.NONE,
                List.of(), 1, Optional.empty());
    }
}
