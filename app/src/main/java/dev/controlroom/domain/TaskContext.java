package dev.controlroom.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how a task runs: repository, working directory, base branch, its own worktree or not,
 * environment, setup commands and files copied into the worktree.
 */
public record TaskContext(
        Optional<String> repo,
        Optional<String> workingDir,
        Optional<String> branch,
        boolean worktree,
        Map<String, String> env,
        List<String> setup,
        List<String> copyFiles) {

    public static final TaskContext NONE = new TaskContext(Optional.empty(), Optional.empty(), Optional.empty(),
            false, Map.of(), List.of(), List.of());

    public TaskContext {
        env = Map.copyOf(env);
        setup = List.copyOf(setup);
        copyFiles = List.copyOf(copyFiles);
    }
}
