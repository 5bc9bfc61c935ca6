package dev.controlroom.orchestrator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** How the engine starts agent processes; the agent package implements it with real PTYs. */
public interface AgentRuntime {

    /** Everything needed to start one session's process. */
    record Launch(String sessionId, List<String> command, Path workingDir, Map<String, String> environment) {
        public Launch {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    /** A started process. */
    interface Process {
        long pid();

        Optional<Instant> startTime();

        /** Completes with the exit code once the process ended and all its output is stored. */
        CompletableFuture<Integer> exit();

        /** Ends the process and everything it started. */
        void kill(Duration grace);
    }

    /** @throws IOException with a message naming the command and directory when it cannot start */
    Process start(Launch launch) throws IOException;

    /**
     * Ends a process left behind by an earlier Control Room process, if it is still alive and is
     * the same process (same pid and OS start time). Returns whether one was ended.
     */
    boolean endOrphan(long pid, Optional<Instant> startTime, Duration grace);

    /** The result of one verification command. */
    record Check(String command, Optional<Integer> exitCode, boolean passed, String output, long durationMs) {
    }

    /** Runs verification commands one after the other in {@code dir}, stopping at the first failure. */
    CompletableFuture<List<Check>> verify(List<String> commands, Path dir, Map<String, String> environment, Duration timeout);
}
