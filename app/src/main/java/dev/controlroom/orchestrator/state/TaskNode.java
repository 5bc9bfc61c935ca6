package dev.controlroom.orchestrator.state;

import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One task of a run as the engine holds it; its state, attempts and session change only through {@link Transitions}. */
public final class TaskNode {
    private final StoredTask task;
    private final int wave;
    private final int position;
    final List<TaskNode> deps = new ArrayList<>();
    final List<TaskNode> dependents = new ArrayList<>();
    TaskState state;
    int attempts;
    /** Sessions this task has had in the run, across retries by people: numbers its session ids. */
    int sessions;
    Instant readyAt = Instant.EPOCH;
    Optional<Instant> nextAttemptAt = Optional.empty();
    Optional<LiveSession> live = Optional.empty();
    /** An agent a person chose for it. */
    private Optional<Long> agentOverride = Optional.empty();
    /** The agent's own session id, kept across iterations, parking and retries so work continues where it was. */
    private Optional<String> resumeId = Optional.empty();
    private Optional<Long> resumeAgent = Optional.empty();
    /** An agent that got stuck on this task: the next attempt goes to another one when there is one. */
    private Optional<Long> avoidAgent = Optional.empty();
    /** Why the last attempt failed, for the next attempt's prompt: it continues the work with that in mind. */
    private Optional<String> lastFailure = Optional.empty();
    /** How often the task waited for an overloaded provider in a row. */
    private int providerWaits;

    TaskNode(StoredTask task, int wave, int position, TaskState state, int attempts) {
        this.task = task;
        this.wave = wave;
        this.position = position;
        this.state = state;
        this.attempts = attempts;
    }

    public StoredTask task() {
        return task;
    }

    public String key() {
        return task.key();
    }

    public long id() {
        return task.id();
    }

    public int wave() {
        return wave;
    }

    int position() {
        return position;
    }

    public TaskState state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    public Optional<Instant> nextAttemptAt() {
        return nextAttemptAt;
    }

    public Optional<LiveSession> live() {
        return live;
    }

    /** Whether {@code session} is still this task's live session (an old session's late news is ignored). */
    public boolean isLive(LiveSession session) {
        return live.isPresent() && live.get() == session;
    }

    public Optional<Long> agentOverride() {
        return agentOverride;
    }

    public void pinTo(long agentId) {
        agentOverride = Optional.of(agentId);
    }

    public Optional<String> resumeId() {
        return resumeId;
    }

    /** The agent's own session to continue when the next attempt runs on {@code agentId}: another agent starts afresh. */
    public Optional<String> resumeIdFor(long agentId) {
        return resumeAgent.filter(a -> a == agentId).flatMap(a -> resumeId);
    }

    public void resumeFrom(String nativeId, long agentId) {
        resumeId = Optional.of(nativeId);
        resumeAgent = Optional.of(agentId);
    }

    public Optional<Long> avoidAgent() {
        return avoidAgent;
    }

    public void avoid(long agentId) {
        avoidAgent = Optional.of(agentId);
    }

    void restore(Instant readyAt, Optional<Instant> nextAttemptAt, Optional<Long> agentOverride, int sessions) {
        this.readyAt = readyAt;
        this.nextAttemptAt = nextAttemptAt;
        this.agentOverride = agentOverride;
        this.sessions = sessions;
    }

    public Optional<String> lastFailure() {
        return lastFailure;
    }

    public void failedBecause(String reason) {
        lastFailure = Optional.of(reason);
    }

    /** Counts one more wait for an overloaded provider; returns how many in a row. */
    public int waitedForProvider() {
        return ++providerWaits;
    }

    public void providerAnswered() {
        providerWaits = 0;
    }
}
