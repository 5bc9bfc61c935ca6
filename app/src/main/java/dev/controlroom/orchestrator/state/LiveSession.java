package dev.controlroom.orchestrator.state;

import dev.controlroom.orchestrator.port.AgentRuntime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The session working a task right now; its phase changes only through {@link Transitions}. */
public final class LiveSession {
    private final String sessionId;
    private final long agentId;
    private final String profile;
    private final Instant startedAt;
    private final String workingDir;
    private final Optional<Path> worktree;
    SessionPhase phase = SessionPhase.STARTING;
    Optional<AgentRuntime.Process> process = Optional.empty();
    /** The current iteration: 1 for the first prompt, one more for each retry in the session and each answer. */
    int iteration = 1;
    /** What the session's current process does. */
    AgentRuntime.Work work;
    private Optional<Instant> deadline;
    private Optional<KillReason> killed = Optional.empty();
    private Optional<String> stuckReason = Optional.empty();
    private Optional<String> baseRef = Optional.empty();
    private Optional<String> nativeId = Optional.empty();
    /** The last time the watchdog saw a sign of work other than output (a tool running, CPU, a file changed). */
    private Instant lastProgressAt = Instant.EPOCH;
    private Optional<String> lastProgressSign = Optional.empty();
    /** The watchdog's settings for this session. */
    private WatchRules.Resolved watch = new WatchRules.Resolved(dev.controlroom.domain.Watchdog.OFF,
            dev.controlroom.domain.Watchdog.Policy.RESTART, dev.controlroom.domain.Watchdog.Policy.HANDOFF);
    /** Whether the watchdog already took its look halfway through a silence (a baseline for the CPU of shell commands). */
    private boolean halfwayLook;
    private int nudges;
    private Turn turn = new Turn();
    /** Per error fingerprint: how often it was counted, and when last. */
    final Map<String, Integer> errorCounts = new HashMap<>();
    final Map<String, Instant> errorCountedAt = new HashMap<>();
    private Optional<String> lastFailureFingerprint = Optional.empty();
    private Optional<String> lastChangeFingerprint = Optional.empty();

    public LiveSession(String sessionId, long agentId, String profile, Instant startedAt, Optional<Instant> deadline,
                       String workingDir, Optional<Path> worktree, AgentRuntime.Work work) {
        this.sessionId = sessionId;
        this.agentId = agentId;
        this.profile = profile;
        this.startedAt = startedAt;
        this.deadline = deadline;
        this.workingDir = workingDir;
        this.worktree = worktree;
        this.work = work;
    }

    /** What the agent said during its current process: reset when the next process starts. */
    public static final class Turn {
        private Optional<String> question = Optional.empty();
        private boolean rateLimited;
        private Optional<Instant> rateLimitedUntil = Optional.empty();
        private boolean failed;
        private Optional<String> result = Optional.empty();
        private Optional<dev.controlroom.domain.FailureClass> errorClass = Optional.empty();

        /** The provider error the CLI met in this turn, the gravest kept (a bad key over an overloaded server). */
        public Optional<dev.controlroom.domain.FailureClass> errorClass() {
            return errorClass;
        }

        public void noteError(dev.controlroom.domain.FailureClass c) {
            if (errorClass.isEmpty() || c.ordinal() < errorClass.get().ordinal()) {
                errorClass = Optional.of(c);
            }
        }

        public Optional<String> question() {
            return question;
        }

        public void asked(String text) {
            question = Optional.of(text);
        }

        /** The question was answered in the terminal: the agent goes on in the same process. */
        public void answered() {
            question = Optional.empty();
        }

        public boolean rateLimited() {
            return rateLimited;
        }

        public Optional<Instant> rateLimitedUntil() {
            return rateLimitedUntil;
        }

        public void limited(Optional<Instant> until) {
            rateLimited = true;
            rateLimitedUntil = until;
        }

        public boolean failed() {
            return failed;
        }

        public Optional<String> result() {
            return result;
        }

        public void ended(boolean isError, Optional<String> text) {
            failed = isError;
            result = text;
        }
    }

    public String sessionId() {
        return sessionId;
    }

    public long agentId() {
        return agentId;
    }

    public String profile() {
        return profile;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String workingDir() {
        return workingDir;
    }

    public Optional<Path> worktree() {
        return worktree;
    }

    public SessionPhase phase() {
        return phase;
    }

    public Optional<AgentRuntime.Process> process() {
        return process;
    }

    public int iteration() {
        return iteration;
    }

    public AgentRuntime.Work work() {
        return work;
    }

    public Optional<Instant> deadline() {
        return deadline;
    }

    public void deadline(Optional<Instant> at) {
        deadline = at;
    }

    public Optional<KillReason> killed() {
        return killed;
    }

    /** Marks the session as ended by the engine; false when it already was (the first reason stands). */
    public boolean markKilled(KillReason why) {
        if (killed.isPresent()) {
            return false;
        }
        killed = Optional.of(why);
        return true;
    }

    private dev.controlroom.domain.Watchdog.Policy stuckPolicy = dev.controlroom.domain.Watchdog.Policy.RESTART;

    /** What the watchdog decided for this session when it found it stuck. */
    public dev.controlroom.domain.Watchdog.Policy stuckPolicy() {
        return stuckPolicy;
    }

    public void stuckPolicy(dev.controlroom.domain.Watchdog.Policy policy) {
        stuckPolicy = policy;
    }

    public Optional<String> stuckReason() {
        return stuckReason;
    }

    public void stuckBecause(String reason) {
        stuckReason = Optional.of(reason);
    }

    public Optional<String> baseRef() {
        return baseRef;
    }

    public void startedFrom(String commit) {
        baseRef = Optional.of(commit);
    }

    public Optional<String> nativeId() {
        return nativeId;
    }

    public void nativeId(String id) {
        nativeId = Optional.of(id);
    }

    public Instant lastProgressAt() {
        return lastProgressAt;
    }

    public Optional<String> lastProgressSign() {
        return lastProgressSign;
    }

    /** The watchdog saw work other than output: the silence counts again from {@code at}. */
    public void progressed(Instant at, String sign) {
        lastProgressAt = at;
        lastProgressSign = Optional.of(sign);
        halfwayLook = false;
    }

    /** The last sign of life: output or other progress, whichever is later. */
    public Instant lastSign() {
        Instant output = process.map(AgentRuntime.Process::lastOutput).orElse(startedAt);
        return output.isAfter(lastProgressAt) ? output : lastProgressAt;
    }

    /** True the first time it is asked in a silence (and again after the next sign of life). */
    public boolean takeHalfwayLook() {
        if (halfwayLook) {
            return false;
        }
        halfwayLook = true;
        return true;
    }

    public void resetHalfwayLook() {
        halfwayLook = false;
    }

    public WatchRules.Resolved watch() {
        return watch;
    }

    public void watch(WatchRules.Resolved rules) {
        watch = java.util.Objects.requireNonNull(rules);
    }

    public int nudges() {
        return nudges;
    }

    public void nudged(Instant at) {
        nudges++;
        progressed(at, "nudged");
    }

    public Turn turn() {
        return turn;
    }

    void newTurn() {
        turn = new Turn();
    }

    /** Counts an error once per pause: returns how often it has been counted, or empty when it repeats within {@code gap}. */
    public Optional<Integer> countError(String fingerprint, Instant now, java.time.Duration gap) {
        Instant last = errorCountedAt.get(fingerprint);
        if (last != null && java.time.Duration.between(last, now).compareTo(gap) < 0) {
            return Optional.empty();
        }
        errorCountedAt.put(fingerprint, now);
        return Optional.of(errorCounts.merge(fingerprint, 1, Integer::sum));
    }

    public Optional<String> lastFailureFingerprint() {
        return lastFailureFingerprint;
    }

    public Optional<String> lastChangeFingerprint() {
        return lastChangeFingerprint;
    }

    public void remember(Optional<String> failureFingerprint, Optional<String> changeFingerprint) {
        lastFailureFingerprint = failureFingerprint;
        lastChangeFingerprint = changeFingerprint;
    }
}
