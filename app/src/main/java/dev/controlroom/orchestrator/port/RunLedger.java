package dev.controlroom.orchestrator.port;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.QaEvidence;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the engine needs of storage: the plans and roster it reads, and one transaction per
 * decision in which its state changes are stored together with the events that announce them.
 * The store implements it; the engine never sees SQL.
 */
public interface RunLedger {

    /** Runs {@code work} in one transaction; returns the events it appended, as stored. */
    List<Event> commit(Consumer<Tx> work);

    /** Stores one event outside any decision. */
    Event append(Event event);

    Optional<RunSummary> run(String runId);

    /** Runs not finished, whoever owns them. */
    List<RunSummary> unfinishedRuns();

    /** The last time the owner of a run said it was alive. */
    Optional<Instant> heartbeat(String runId);

    List<RunTask> runTasks(String runId);

    List<SessionRecord> sessions(String runId);

    List<IterationRecord> iterations(String sessionId);

    Optional<PlanSummary> plan(long planId);

    List<StoredTask> tasksOf(long planId);

    List<Agent> activeAgents();

    Optional<Agent> agent(long agentId);

    /** The settings whose keys start with {@code prefix}, keyed by the rest of the key. */
    Map<String, String> settings(String prefix);

    /** Says in the database that this engine still runs on it (one engine per database). */
    void renewEngineLease();

    /** A storage failure that may pass (a lock another program holds, a full disk): the same write may succeed later. */
    interface MayPass {
        boolean mayPass();
    }

    /** How a session ended, as stored with it. */
    enum SessionEnd {
        EXITED, KILLED, INTERRUPTED, FAILED_TO_START;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How one iteration of a session ended. */
    enum IterationEnd {
        PASSED, FAILED, ERROR, INTERRUPTED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The operations of one transaction, each named after what happens. */
    interface Tx {
        Event event(Event e);

        /** Stores a new run with every task's wave and first state. The only place a run is created. */
        void createRun(String runId, long planId, RunOptions options, long ownerPid, Map<Long, Integer> waveOf,
                       Map<Long, TaskState> initial);

        /**
         * Stores a sub-task of {@code parentTaskId} in that task's list and as a task of the live run, in
         * {@code wave} with {@code state}; returns its id.
         */
        long joinRun(String runId, long parentTaskId, TaskSpec spec, int wave, TaskState state);

        void moveTask(String runId, long taskId, TaskState from, TaskState to, Optional<String> reason);

        void scheduleRetry(String runId, long taskId, Instant at, String reason);

        /** Why the task's last attempt failed, as a {@code FailureClass} id. */
        void failureClass(String runId, long taskId, String failureClass);

        void assign(String runId, long taskId, long agentId);

        void countAttempt(String runId, long taskId, int attempts);

        void resetAttempts(String runId, long taskId);

        void moveRun(String runId, RunState from, RunState to, Optional<String> reason);

        void takeOwnership(String runId, long pid);

        void heartbeat(String runId);

        void waveStarted(String runId, int wave);

        void waveFinished(String runId, int wave, boolean succeeded);

        /** Records a session about to start and moves its task to running. The only place a session is created. */
        void startSession(String sessionId, String runId, long taskId, long agentId, int attempt, String workingDir,
                          Optional<String> branch, String commandLine, TaskState from);

        void sessionRunning(String sessionId, long pid, Optional<Instant> processStart);

        void endSession(String sessionId, SessionEnd status, Optional<Integer> exitCode, String reason);

        void agentFinished(long agentId, String runId, long taskId, Optional<Boolean> succeeded, long durationMs, boolean stillBusy);

        void startIteration(String sessionId, int number, Optional<String> prompt);

        void finishIteration(String sessionId, int number, IterationEnd status, Optional<String> failureSummary,
                             Optional<String> failureFingerprint, Optional<String> diffHash);

        void qaEvidence(String sessionId, int iteration, List<QaEvidence> evidence);

        void nativeSession(String sessionId, String nativeId);

        void tokens(String sessionId, int iteration, String runId, long taskId, long agentId, Optional<String> model,
                    long input, long output, long cacheRead, long cacheWrite);

        void agentStatus(long agentId, AgentStatus status);

        void park(String runId, long taskId, Instant until, String reason);

        void worktree(String runId, long taskId, String path, String branch);
    }
}
