package dev.controlroom.orchestrator.state;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a live session is: its process being made, running, its work being verified, waiting for
 * a person's answer, or ended. An AI session runs one process per iteration, so it goes round
 * from starting to running and back for each iteration and each answer.
 */
public enum SessionPhase {
    /** The worktree is being made or the process spawned: no process to watch or kill yet. */
    STARTING,
    /** A process is attached; its output and exit are followed. */
    RUNNING,
    /** The process exited cleanly; the task's verify commands run. */
    VERIFYING,
    /** The agent asked and its turn ended: the session waits for an answer, with no process. */
    AWAITING_ANSWER,
    /** Done: the agent's slot is free and the session row says how it ended. */
    ENDED;

    private static final Map<SessionPhase, Set<SessionPhase>> ALLOWED = Map.of(
            STARTING, EnumSet.of(RUNNING, ENDED),
            RUNNING, EnumSet.of(VERIFYING, AWAITING_ANSWER, ENDED),
            // STARTING again: the next iteration (after a failed verification, or an answer) starts a new process.
            VERIFYING, EnumSet.of(STARTING, ENDED),
            AWAITING_ANSWER, EnumSet.of(STARTING, ENDED),
            ENDED, EnumSet.noneOf(SessionPhase.class));

    public boolean canMoveTo(SessionPhase next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Throws when the move is not in the table, naming both phases. */
    public SessionPhase moveTo(SessionPhase next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a session cannot go from " + this + " to " + next);
        }
        return next;
    }

    /** Whether a process of the session may exist (spawning or attached). */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING;
    }
}
