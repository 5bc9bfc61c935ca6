package dev.controlroom.orchestrator.port;

import dev.controlroom.domain.Agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** How the engine starts agent processes; the agent package implements it with real PTYs and real CLIs. */
public interface AgentRuntime {

    /** What a session's process does. */
    sealed interface Work {
        /** A shell command line (shell agents). */
        record Command(String line) implements Work {
        }

        /** A prompt to an AI agent's CLI, continuing the agent's own session when {@code resume} names one. */
        record Prompt(Agent agent, String prompt, Optional<String> resume) implements Work {
        }
    }

    /**
     * Everything needed to start one process of a session.
     *
     * @param setup    commands run first in the same terminal; the work starts only if they succeed
     * @param context  ids the runtime stamps on what it extracts (run, task, agent)
     * @param listener hears what matters for decisions while the process runs (on a reader thread)
     */
    record Launch(String sessionId, Work work, List<String> setup, Path workingDir, Map<String, String> environment,
                  SessionContext context, SignalListener listener) {
        public Launch {
            setup = List.copyOf(setup);
            environment = Map.copyOf(environment);
        }
    }

    /** The run, task and agent a session belongs to. */
    record SessionContext(String runId, long taskId, long agentId, int iteration) {
    }

    /** Facts from a session's output that change what the engine does. */
    sealed interface Signal {
        /** The agent's own session id (Claude session_id, Codex thread_id, ...), for exact resume. */
        record NativeSession(String id) implements Signal {
        }

        /** The agent asks a person something (a question, a permission). */
        record NeedsInput(String question) implements Signal {
        }

        /** The agent is rate limited until {@code resetAt} when known. */
        record RateLimited(Optional<Instant> resetAt, String detail) implements Signal {
        }

        /** Tokens used by a turn. */
        record Usage(long input, long output, long cacheRead, long cacheWrite, Optional<String> model) implements Signal {
        }

        /** An error, with a fingerprint that is equal for the same error seen again. */
        record Error(String message, String fingerprint, Optional<Integer> httpStatus) implements Signal {
            public Error(String message, String fingerprint) {
                this(message, fingerprint, Optional.empty());
            }
        }

        /** The CLI retries a failed request by itself after {@code delay}: it is at work, not stuck. */
        record ProviderRetry(Optional<Integer> status, Optional<Duration> delay, String detail) implements Signal {
        }

        /** The agent finished its turn; {@code isError} when the CLI says the turn failed. */
        record TurnEnd(boolean isError, Optional<String> result) implements Signal {
        }
    }

    @FunctionalInterface
    interface SignalListener {
        void on(Signal signal);
    }

    /** A started process. */
    interface Process {
        long pid();

        Optional<Instant> startTime();

        /** Completes with the exit code once the process ended and all its output is stored. */
        CompletableFuture<Integer> exit();

        /** When the process last printed anything (its start when it has printed nothing). */
        Instant lastOutput();

        /**
         * A sign that the session works although it prints nothing, or empty: for an agent, a
         * process it started (a tool, a build, a test run) still running, however little CPU it
         * uses (the agent's own process and its wrappers do not count); for a shell command, CPU
         * used since the last time this was asked.
         */
        Optional<String> workSign();

        /** A file in the session's working directory changed after {@code since}, or empty. */
        Optional<Path> fileChangedSince(Instant since);

        /** Types into the agent's terminal. */
        void type(String text) throws IOException;

        /** Ends the process and everything it started. */
        void kill(Duration grace);
    }

    /** The raw output of running sessions as it is printed, for live views. */
    default LiveOutput liveOutput() {
        return LiveOutput.NONE;
    }

    /** @throws IOException with a message naming the command and directory when it cannot start */
    Process start(Launch launch) throws IOException;

    /** Whether the profile of this work can continue its own session by id. */
    boolean canResume(Work work);

    /**
     * Ends a process left behind by an earlier Control Room process, if it is still alive and is
     * the same process (same pid and OS start time). Returns whether one was ended.
     */
    boolean endOrphan(long pid, Optional<Instant> startTime, Duration grace);

    /**
     * Ends every process left of a run by an earlier Control Room process (whatever its sessions
     * started, however they detached). Returns how many were ended.
     */
    int endLeftovers(String runId, Duration grace);

    /** Where the task's git worktree is (or will be). */
    Path worktreePath(Path repo, String runId, String taskKey);

    /**
     * Makes (or reuses) the task's git worktree on its branch and copies the listed files in.
     *
     * @return the commit the worktree started from, the base its changes are measured against
     */
    String prepareWorktree(Path repo, Optional<String> base, String branch, Path worktree, List<String> copyFiles) throws IOException;

    /** A fingerprint of the changes in a worktree against its base: unchanged means the agent changed nothing. */
    Optional<String> changeFingerprint(Path worktree, String base);

    /** The result of one verification command. */
    record Check(String command, Optional<Integer> exitCode, boolean passed, String output, long durationMs) {
    }

    /** Runs verification commands one after the other in {@code dir}, stopping at the first failure. */
    CompletableFuture<List<Check>> verify(List<String> commands, Path dir, Map<String, String> environment, Duration timeout);
}
