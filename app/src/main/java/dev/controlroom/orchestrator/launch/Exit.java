package dev.controlroom.orchestrator.launch;

import java.util.Optional;

/** How a session's process ended, as the engine hears it. */
public sealed interface Exit {
    /** The process ran and exited with {@code value}. */
    record Code(int value) implements Exit {
    }

    /** The process could not be started (no worktree, no directory, no binary). */
    record NotStarted(Throwable cause) implements Exit {
    }

    /** The session had no process when it was ended (it waited for an answer). */
    record NoProcess() implements Exit {
    }

    /** The exit code, when the process ran. */
    default Optional<Integer> code() {
        return this instanceof Code c ? Optional.of(c.value()) : Optional.empty();
    }
}
