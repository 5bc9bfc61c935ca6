package dev.controlroom.store;

import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.Event;
import dev.controlroom.domain.QaEvidence;
import dev.controlroom.domain.Redactor;
import dev.controlroom.orchestrator.port.RunLedger;
import dev.controlroom.domain.IllegalTransitionException;
import dev.controlroom.domain.IterationRecord;
import dev.controlroom.domain.Price;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.RunState;
import dev.controlroom.domain.RunSummary;
import dev.controlroom.domain.RunTask;
import dev.controlroom.domain.SessionRecord;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.TaskState;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.store.schema.tables.records.RunTasksRecord;
import dev.controlroom.store.schema.tables.records.SessionsRecord;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static dev.controlroom.store.schema.Tables.AGENTS;
import static dev.controlroom.store.schema.Tables.PLANS;
import static dev.controlroom.store.schema.Tables.QA_RESULTS;
import static dev.controlroom.store.schema.Tables.ITERATIONS;
import static dev.controlroom.store.schema.Tables.REWARDS;
import static dev.controlroom.store.schema.Tables.RUNS;
import static dev.controlroom.store.schema.Tables.RUN_TASKS;
import static dev.controlroom.store.schema.Tables.SESSIONS;
import static dev.controlroom.store.schema.Tables.TOKEN_USAGE;
import static dev.controlroom.store.schema.Tables.WAVES;

/**
 * Runs, their tasks' states, waves and sessions. Every change goes through a {@link Tx}: one
 * transaction holding the state change and the events that announce it, so nothing is announced
 * that was not stored.
 */
public final class RunStore {
    private final Database db;
    private final Clock clock;
    private final PlanStore plans;

    RunStore(Database db, Clock clock, PlanStore plans) {
        this.db = db;
        this.clock = clock;
        this.plans = plans;
    }

    /** Runs {@code work} in one transaction and returns the events it appended, stored. */
    public List<Event> commit(Consumer<Tx> work) {
        return db.write(dsl -> {
            Tx tx = new Tx(dsl, clock.millis(), plans);
            work.accept(tx);
            return List.copyOf(tx.events);
        });
    }

    /** The operations of one transaction, each named after what happens. */
    public static final class Tx implements RunLedger.Tx {
        /** Rows per INSERT statement: 6 variables each stays far below SQLite's 32,766. */
        private static final int ROWS_PER_INSERT = 1_000;
        private final DSLContext dsl;
        private final long now;
        private final PlanStore plans;
        private final List<Event> events = new ArrayList<>();

        Tx(DSLContext dsl, long now, PlanStore plans) {
            this.dsl = dsl;
            this.now = now;
            this.plans = plans;
        }

        @Override
        public long joinRun(String runId, long parentTaskId, TaskSpec spec, int wave, TaskState state) {
            long taskId = plans.insertSubTask(dsl, parentTaskId, spec, now);
            dsl.insertInto(RUN_TASKS, RUN_TASKS.RUN_ID, RUN_TASKS.TASK_ID, RUN_TASKS.WAVE, RUN_TASKS.STATUS, RUN_TASKS.READY_AT,
                    RUN_TASKS.UPDATED_AT).values(runId, taskId, wave, state.id(), state == TaskState.READY ? now : null, now).execute();
            dsl.update(WAVES).set(WAVES.TASK_COUNT, WAVES.TASK_COUNT.plus(1)).where(WAVES.RUN_ID.eq(runId), WAVES.WAVE.eq(wave)).execute();
            return taskId;
        }

        public Instant now() {
            return Instant.ofEpochMilli(now);
        }

        public Event event(Event e) {
            Event stored = EventStore.append(dsl, e, now);
            events.add(stored);
            return stored;
        }

        /** Stores a new run with every task's wave and first state. The only place a run is created. */
        public void createRun(String runId, long planId, RunOptions options, long ownerPid, Map<Long, Integer> waveOf,
                              Map<Long, TaskState> initial) {
            dsl.insertInto(RUNS)
                    .set(RUNS.ID, runId)
                    .set(RUNS.PLAN_ID, planId)
                    .set(RUNS.STATUS, RunState.RUNNING.id())
                    .set(RUNS.WAVE_MODE, options.waveMode().id())
                    .set(RUNS.CONCURRENCY, options.concurrency())
                    .set(RUNS.STARTED_BY, options.startedBy())
                    .set(RUNS.OWNER_PID, ownerPid)
                    .set(RUNS.CREATED_AT, now)
                    .set(RUNS.STARTED_AT, now)
                    .set(RUNS.HEARTBEAT_AT, now)
                    .execute();
            Map<Integer, Integer> perWave = new HashMap<>();
            waveOf.values().forEach(w -> perWave.merge(w, 1, Integer::sum));
            // In slices: one statement for 100,000 tasks would pass SQLite's limits on variables and statement length.
            List<Map.Entry<Integer, Integer>> waveRows = List.copyOf(perWave.entrySet());
            for (int from = 0; from < waveRows.size(); from += ROWS_PER_INSERT) {
                var waves = dsl.insertInto(WAVES, WAVES.RUN_ID, WAVES.WAVE, WAVES.STATUS, WAVES.TASK_COUNT);
                for (var e : waveRows.subList(from, Math.min(waveRows.size(), from + ROWS_PER_INSERT))) {
                    waves = waves.values(runId, e.getKey(), "pending", e.getValue());
                }
                waves.execute();
            }
            List<Map.Entry<Long, Integer>> taskRows = List.copyOf(waveOf.entrySet());
            for (int from = 0; from < taskRows.size(); from += ROWS_PER_INSERT) {
                var tasks = dsl.insertInto(RUN_TASKS, RUN_TASKS.RUN_ID, RUN_TASKS.TASK_ID, RUN_TASKS.WAVE, RUN_TASKS.STATUS,
                        RUN_TASKS.READY_AT, RUN_TASKS.UPDATED_AT);
                for (var e : taskRows.subList(from, Math.min(taskRows.size(), from + ROWS_PER_INSERT))) {
                    TaskState state = initial.get(e.getKey());
                    tasks = tasks.values(runId, e.getKey(), e.getValue(), state.id(), state == TaskState.READY ? now : null, now);
                }
                tasks.execute();
            }
        }

        /**
         * Moves a task from one state to another, guarded: if the stored state is not {@code from}
         * the move is refused, so two deciders can never both win.
         */
        public void moveTask(String runId, long taskId, TaskState from, TaskState to, Optional<String> reason) {
            from.moveTo(to);
            var update = dsl.update(RUN_TASKS)
                    .set(RUN_TASKS.STATUS, to.id())
                    .set(RUN_TASKS.STATUS_REASON, reason.orElse(null))
                    .set(RUN_TASKS.UPDATED_AT, now);
            if (to == TaskState.READY) {
                update = update.set(RUN_TASKS.READY_AT, now).setNull(RUN_TASKS.NEXT_ATTEMPT_AT);
            }
            if (to.isTerminal() || to == TaskState.NEEDS_DECISION) {
                update = update.set(RUN_TASKS.FINISHED_AT, now);
            } else {
                update = update.setNull(RUN_TASKS.FINISHED_AT);
            }
            int n = update.where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId), RUN_TASKS.STATUS.eq(from.id()))
                    .execute();
            if (n != 1) {
                throw new IllegalTransitionException("task " + taskId + " of run " + runId + " is no longer " + from.id());
            }
        }

        /** A failed attempt that will be tried again at {@code at}. */
        public void scheduleRetry(String runId, long taskId, Instant at, String reason) {
            moveTask(runId, taskId, TaskState.RUNNING, TaskState.RETRY_WAIT, Optional.of(reason));
            dsl.update(RUN_TASKS).set(RUN_TASKS.NEXT_ATTEMPT_AT, at.toEpochMilli())
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId)).execute();
        }

        /** Why the task's last attempt failed, by class (kept until the next failure says otherwise). */
        public void failureClass(String runId, long taskId, String failureClass) {
            dsl.update(RUN_TASKS).set(RUN_TASKS.FAILURE_CLASS, failureClass)
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId)).execute();
        }

        /** Points the task at an agent for its next attempt (a human reassigned it). */
        public void assign(String runId, long taskId, long agentId) {
            dsl.update(RUN_TASKS).set(RUN_TASKS.AGENT_ID, agentId).set(RUN_TASKS.UPDATED_AT, now)
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId)).execute();
        }

        /** Another attempt of a task within its running session (the next QA iteration counts against the budget). */
        public void countAttempt(String runId, long taskId, int attempts) {
            dsl.update(RUN_TASKS).set(RUN_TASKS.ATTEMPTS, attempts).set(RUN_TASKS.UPDATED_AT, now)
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId)).execute();
        }

        /** Gives a task its attempts back (a human chose to retry it). */
        public void resetAttempts(String runId, long taskId) {
            dsl.update(RUN_TASKS).set(RUN_TASKS.ATTEMPTS, 0)
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId)).execute();
        }

        public void moveRun(String runId, RunState from, RunState to, Optional<String> reason) {
            from.moveTo(to);
            var update = dsl.update(RUNS).set(RUNS.STATUS, to.id()).set(RUNS.PAUSE_REASON, reason.orElse(null));
            if (to.isFinished()) {
                update = update.set(RUNS.FINISHED_AT, now);
            } else {
                update = update.setNull(RUNS.FINISHED_AT);
            }
            int n = update.where(RUNS.ID.eq(runId), RUNS.STATUS.eq(from.id())).execute();
            if (n != 1) {
                throw new IllegalTransitionException("run " + runId + " is no longer " + from.id());
            }
        }

        /** This process now runs the run (after a start or a resume). */
        public void takeOwnership(String runId, long pid) {
            dsl.update(RUNS).set(RUNS.OWNER_PID, pid).set(RUNS.HEARTBEAT_AT, now).where(RUNS.ID.eq(runId)).execute();
        }

        public void heartbeat(String runId) {
            dsl.update(RUNS).set(RUNS.HEARTBEAT_AT, now).where(RUNS.ID.eq(runId)).execute();
        }

        public void waveStarted(String runId, int wave) {
            dsl.update(WAVES).set(WAVES.STATUS, "running").set(WAVES.STARTED_AT, now)
                    .where(WAVES.RUN_ID.eq(runId), WAVES.WAVE.eq(wave)).execute();
        }

        public void waveFinished(String runId, int wave, boolean succeeded) {
            dsl.update(WAVES).set(WAVES.STATUS, succeeded ? "succeeded" : "failed").set(WAVES.FINISHED_AT, now)
                    .where(WAVES.RUN_ID.eq(runId), WAVES.WAVE.eq(wave)).execute();
        }

        /**
         * Records a session about to start and moves its task to running with one more attempt.
         * The only place a session is created.
         */
        public void startSession(String sessionId, String runId, long taskId, long agentId, int attempt,
                                 String workingDir, Optional<String> branch, String commandLine, TaskState from) {
            from.moveTo(TaskState.RUNNING);
            int n = dsl.update(RUN_TASKS)
                    .set(RUN_TASKS.STATUS, TaskState.RUNNING.id())
                    .setNull(RUN_TASKS.STATUS_REASON)
                    .setNull(RUN_TASKS.FINISHED_AT)
                    .set(RUN_TASKS.ATTEMPTS, attempt)
                    .set(RUN_TASKS.AGENT_ID, agentId)
                    .set(RUN_TASKS.STARTED_AT, now)
                    .set(RUN_TASKS.UPDATED_AT, now)
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId), RUN_TASKS.STATUS.eq(from.id())).execute();
            if (n != 1) {
                throw new IllegalTransitionException("task " + taskId + " of run " + runId + " is no longer " + from.id());
            }
            dsl.insertInto(SESSIONS)
                    .set(SESSIONS.ID, sessionId)
                    .set(SESSIONS.RUN_ID, runId)
                    .set(SESSIONS.TASK_ID, taskId)
                    .set(SESSIONS.AGENT_ID, agentId)
                    .set(SESSIONS.ATTEMPT, attempt)
                    .set(SESSIONS.STATUS, "starting")
                    .set(SESSIONS.WORKING_DIR, workingDir)
                    .set(SESSIONS.BRANCH, branch.orElse(null))
                    .set(SESSIONS.COMMAND_LINE, Redactor.redactText(commandLine))
                    .set(SESSIONS.STARTED_AT, now)
                    .execute();
            dsl.update(AGENTS).set(AGENTS.STATUS, "busy").set(AGENTS.LAST_ACTIVE_AT, now).set(AGENTS.UPDATED_AT, now)
                    .where(AGENTS.ID.eq(agentId)).execute();
        }

        /** The process is up: its pid and OS start time identify it after a crash. */
        public void sessionRunning(String sessionId, long pid, Optional<Instant> processStart) {
            dsl.update(SESSIONS).set(SESSIONS.STATUS, "running").set(SESSIONS.PID, pid)
                    .set(SESSIONS.PROCESS_START_TIME, processStart.map(Instant::toEpochMilli).orElse(null))
                    .where(SESSIONS.ID.eq(sessionId)).execute();
        }

        @Override
        public void endSession(String sessionId, RunLedger.SessionEnd status, Optional<Integer> exitCode, String reason) {
            dsl.update(SESSIONS).set(SESSIONS.STATUS, status.id()).set(SESSIONS.EXIT_CODE, exitCode.orElse(null))
                    .set(SESSIONS.END_REASON, reason).set(SESSIONS.ENDED_AT, now)
                    .where(SESSIONS.ID.eq(sessionId)).execute();
            // An iteration the session's end left open (a crash, a stop, a kill) ends with it.
            dsl.update(ITERATIONS).set(ITERATIONS.STATUS, RunLedger.IterationEnd.INTERRUPTED.id()).set(ITERATIONS.ENDED_AT, now)
                    .set(ITERATIONS.FAILURE_SUMMARY, reason)
                    .where(ITERATIONS.SESSION_ID.eq(sessionId), ITERATIONS.STATUS.eq("running")).execute();
        }

        /** An agent's slot is free again; its record counts the outcome (+10 success, -5 failure). */
        public void agentFinished(long agentId, String runId, long taskId, Optional<Boolean> succeeded, long durationMs,
                                  boolean stillBusy) {
            var update = dsl.update(AGENTS)
                    .set(AGENTS.STATUS, stillBusy ? "busy" : "idle")
                    .set(AGENTS.LAST_ACTIVE_AT, now)
                    .set(AGENTS.UPDATED_AT, now)
                    .set(AGENTS.TOTAL_DURATION_MS, AGENTS.TOTAL_DURATION_MS.plus(durationMs));
            if (succeeded.isPresent()) {
                boolean ok = succeeded.get();
                update = ok ? update.set(AGENTS.TASKS_SUCCEEDED, AGENTS.TASKS_SUCCEEDED.plus(1))
                        .set(AGENTS.TOTAL_REWARD, AGENTS.TOTAL_REWARD.plus(10))
                        : update.set(AGENTS.TASKS_FAILED, AGENTS.TASKS_FAILED.plus(1))
                        .set(AGENTS.TOTAL_REWARD, AGENTS.TOTAL_REWARD.minus(5));
                dsl.insertInto(REWARDS).set(REWARDS.AGENT_ID, agentId).set(REWARDS.RUN_ID, runId)
                        .set(REWARDS.TASK_ID, taskId).set(REWARDS.POINTS, ok ? 10 : -5)
                        .set(REWARDS.REASON, ok ? "task succeeded" : "task failed").set(REWARDS.AT, now).execute();
            }
            update.where(AGENTS.ID.eq(agentId)).execute();
        }

        /** One more prompt-and-answer round of a session begins. */
        public void startIteration(String sessionId, int number, Optional<String> prompt) {
            dsl.insertInto(ITERATIONS)
                    .set(ITERATIONS.SESSION_ID, sessionId)
                    .set(ITERATIONS.NUMBER, number)
                    .set(ITERATIONS.PROMPT, prompt.map(Redactor::redactText).orElse(null))
                    .set(ITERATIONS.STATUS, "running")
                    .set(ITERATIONS.STARTED_AT, now)
                    .onConflict(ITERATIONS.SESSION_ID, ITERATIONS.NUMBER).doNothing()
                    .execute();
        }

        public void finishIteration(String sessionId, int number, RunLedger.IterationEnd status, Optional<String> failureSummary,
                                    Optional<String> failureFingerprint, Optional<String> diffHash) {
            dsl.update(ITERATIONS)
                    .set(ITERATIONS.STATUS, status.id())
                    .set(ITERATIONS.FAILURE_SUMMARY, failureSummary.orElse(null))
                    .set(ITERATIONS.FAILURE_FINGERPRINT, failureFingerprint.orElse(null))
                    .set(ITERATIONS.DIFF_HASH, diffHash.orElse(null))
                    .set(ITERATIONS.ENDED_AT, now)
                    .where(ITERATIONS.SESSION_ID.eq(sessionId), ITERATIONS.NUMBER.eq(number)).execute();
        }

        /** The evidence of a verification: each command, its exit code and its (trimmed) output. */
        public void qaEvidence(String sessionId, int iteration, List<QaEvidence> evidence) {
            Long iterationId = dsl.select(ITERATIONS.ID).from(ITERATIONS)
                    .where(ITERATIONS.SESSION_ID.eq(sessionId), ITERATIONS.NUMBER.eq(iteration)).fetchOptional(ITERATIONS.ID)
                    .orElseGet(() -> {
                        startIteration(sessionId, iteration, Optional.empty());
                        return dsl.select(ITERATIONS.ID).from(ITERATIONS)
                                .where(ITERATIONS.SESSION_ID.eq(sessionId), ITERATIONS.NUMBER.eq(iteration)).fetchSingle(ITERATIONS.ID);
                    });
            for (QaEvidence e : evidence) {
                dsl.insertInto(QA_RESULTS)
                        .set(QA_RESULTS.ITERATION_ID, iterationId)
                        .set(QA_RESULTS.KIND, e.kind())
                        .set(QA_RESULTS.COMMAND, e.command())
                        .set(QA_RESULTS.EXIT_CODE, e.exitCode().orElse(null))
                        .set(QA_RESULTS.PASSED, e.passed() ? 1 : 0)
                        .set(QA_RESULTS.OUTPUT, e.output())
                        .set(QA_RESULTS.DURATION_MS, e.durationMs())
                        .set(QA_RESULTS.CREATED_AT, now)
                        .execute();
            }
        }

        /** The agent's own session id, stored as soon as it is seen, for exact resume. */
        public void nativeSession(String sessionId, String nativeId) {
            dsl.update(SESSIONS).set(SESSIONS.NATIVE_SESSION_ID, nativeId).where(SESSIONS.ID.eq(sessionId)).execute();
        }

        /** Tokens used, the primary cost fact, per session, task, agent and run. */
        public void tokens(String sessionId, int iteration, String runId, long taskId, long agentId, Optional<String> model,
                           long input, long output, long cacheRead, long cacheWrite) {
            Long iterationId = dsl.select(ITERATIONS.ID).from(ITERATIONS)
                    .where(ITERATIONS.SESSION_ID.eq(sessionId), ITERATIONS.NUMBER.eq(iteration)).fetchOptional(ITERATIONS.ID).orElse(null);
            dsl.insertInto(TOKEN_USAGE)
                    .set(TOKEN_USAGE.SESSION_ID, sessionId)
                    .set(TOKEN_USAGE.ITERATION_ID, iterationId)
                    .set(TOKEN_USAGE.RUN_ID, runId)
                    .set(TOKEN_USAGE.TASK_ID, taskId)
                    .set(TOKEN_USAGE.AGENT_ID, agentId)
                    .set(TOKEN_USAGE.MODEL, dev.controlroom.domain.ModelNames.canonical(model).orElse(null))
                    .set(TOKEN_USAGE.INPUT_TOKENS, input)
                    .set(TOKEN_USAGE.OUTPUT_TOKENS, output)
                    .set(TOKEN_USAGE.CACHE_READ_TOKENS, cacheRead)
                    .set(TOKEN_USAGE.CACHE_WRITE_TOKENS, cacheWrite)
                    .set(TOKEN_USAGE.AT, now)
                    .execute();
            dsl.update(AGENTS).set(AGENTS.TOTAL_TOKENS, AGENTS.TOTAL_TOKENS.plus(input + output + cacheRead + cacheWrite))
                    .where(AGENTS.ID.eq(agentId)).execute();
        }

        /** What an agent's badge says: idle, busy, waiting, stuck, rate_limited or offline. */
        public void agentStatus(long agentId, AgentStatus status) {
            dsl.update(AGENTS).set(AGENTS.STATUS, status.id()).set(AGENTS.UPDATED_AT, now).where(AGENTS.ID.eq(agentId)).execute();
        }

        /** A rate-limited task waits until {@code until}, then is queued again. */
        public void park(String runId, long taskId, Instant until, String reason) {
            moveTask(runId, taskId, TaskState.RUNNING, TaskState.PARKED, Optional.of(reason));
            dsl.update(RUN_TASKS).set(RUN_TASKS.NEXT_ATTEMPT_AT, until.toEpochMilli())
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId)).execute();
        }

        /** The task works in its own worktree on its own branch. */
        public void worktree(String runId, long taskId, String path, String branch) {
            dsl.update(RUN_TASKS).set(RUN_TASKS.WORKTREE_PATH, path).set(RUN_TASKS.BRANCH, branch)
                    .where(RUN_TASKS.RUN_ID.eq(runId), RUN_TASKS.TASK_ID.eq(taskId)).execute();
        }
    }

    /** The id of every finished run (succeeded, failed, cancelled) in the database. */
    public java.util.Set<String> finishedIds() {
        java.util.List<String> finished = java.util.Arrays.stream(RunState.values()).filter(RunState::isFinished).map(RunState::id).toList();
        return db.read(dsl -> new java.util.HashSet<>(dsl.select(RUNS.ID).from(RUNS).where(RUNS.STATUS.in(finished)).fetch(RUNS.ID)));
    }

    public Optional<RunSummary> find(String runId) {
        return db.read(dsl -> summaries(dsl, RUNS.ID.eq(runId), 1).stream().findFirst());
    }

    /** The newest runs first. */
    public List<RunSummary> latest(int limit) {
        return db.read(dsl -> summaries(dsl, DSL.noCondition(), limit));
    }

    /** The newest run of a task list, if it was ever run. */
    public Optional<RunSummary> latestOf(long planId) {
        return db.read(dsl -> summaries(dsl, RUNS.PLAN_ID.eq(planId), 1).stream().findFirst());
    }

    /** Runs that have not finished: running, paused, stopping or interrupted. */
    public List<RunSummary> unfinished() {
        return db.read(dsl -> summaries(dsl, RUNS.STATUS.in("running", "paused", "stopping", "interrupted", "pending"), 1000));
    }

    private static List<RunSummary> summaries(DSLContext dsl, org.jooq.Condition where, int limit) {
        List<Record> runs = dsl.select(RUNS.fields()).select(PLANS.NAME).from(RUNS).join(PLANS).on(PLANS.ID.eq(RUNS.PLAN_ID))
                .where(where).orderBy(RUNS.CREATED_AT.desc(), RUNS.ID.desc()).limit(limit).fetch();
        List<RunSummary> out = new ArrayList<>();
        for (Record r : runs) {
            String id = r.get(RUNS.ID);
            Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
            dsl.select(RUN_TASKS.STATUS, DSL.count()).from(RUN_TASKS).where(RUN_TASKS.RUN_ID.eq(id))
                    .groupBy(RUN_TASKS.STATUS).forEach(c -> counts.put(TaskState.fromId(c.value1()), c.value2()));
            out.add(new RunSummary(id, r.get(RUNS.PLAN_ID), r.get(PLANS.NAME), RunState.fromId(r.get(RUNS.STATUS)),
                    WaveMode.fromId(r.get(RUNS.WAVE_MODE)).orElseThrow(), r.get(RUNS.CONCURRENCY), r.get(RUNS.STARTED_BY),
                    Optional.ofNullable(r.get(RUNS.PAUSE_REASON)), Optional.ofNullable(r.get(RUNS.OWNER_PID)),
                    Instant.ofEpochMilli(r.get(RUNS.CREATED_AT)),
                    Optional.ofNullable(r.get(RUNS.FINISHED_AT)).map(Instant::ofEpochMilli), counts));
        }
        return out;
    }

    /** When the run's owner last showed it was alive. */
    public Optional<Instant> heartbeat(String runId) {
        return db.read(dsl -> dsl.select(RUNS.HEARTBEAT_AT).from(RUNS).where(RUNS.ID.eq(runId)).fetchOptional(RUNS.HEARTBEAT_AT))
                .map(Instant::ofEpochMilli);
    }

    /** Every task's state in the run. */
    public List<RunTask> tasks(String runId) {
        return db.read(dsl -> dsl.selectFrom(RUN_TASKS).where(RUN_TASKS.RUN_ID.eq(runId)).orderBy(RUN_TASKS.WAVE, RUN_TASKS.TASK_ID)
                .fetch(RunStore::toRunTask));
    }

    private static RunTask toRunTask(RunTasksRecord r) {
        return new RunTask(r.getRunId(), r.getTaskId(), r.getWave(), TaskState.fromId(r.getStatus()), r.getAttempts(),
                Optional.ofNullable(r.getAgentId()), Optional.ofNullable(r.getStatusReason()),
                Optional.ofNullable(r.getReadyAt()).map(Instant::ofEpochMilli),
                Optional.ofNullable(r.getNextAttemptAt()).map(Instant::ofEpochMilli),
                Optional.ofNullable(r.getStartedAt()).map(Instant::ofEpochMilli),
                Optional.ofNullable(r.getFinishedAt()).map(Instant::ofEpochMilli));
    }

    /** Sessions of the run, oldest first. */
    public List<SessionRecord> sessions(String runId) {
        return db.read(dsl -> dsl.selectFrom(SESSIONS).where(SESSIONS.RUN_ID.eq(runId)).orderBy(SESSIONS.STARTED_AT, SESSIONS.ID)
                .fetch(RunStore::toSession));
    }

    /** The newest sessions (newest first) of an agent, a run and in a status, each filter optional. */
    public List<SessionRecord> findSessions(Optional<Long> agentId, Optional<String> runId, Optional<String> status, int limit) {
        org.jooq.Condition c = DSL.noCondition();
        if (agentId.isPresent()) {
            c = c.and(SESSIONS.AGENT_ID.eq(agentId.get()));
        }
        if (runId.isPresent()) {
            c = c.and(SESSIONS.RUN_ID.eq(runId.get()));
        }
        if (status.isPresent()) {
            c = c.and(SESSIONS.STATUS.eq(status.get()));
        }
        org.jooq.Condition where = c;
        return db.read(dsl -> dsl.selectFrom(SESSIONS).where(where).orderBy(SESSIONS.STARTED_AT.desc(), SESSIONS.ID.desc()).limit(limit)
                .fetch(RunStore::toSession));
    }

    /** Sessions by id (those that exist), for views that follow a few sessions across runs. */
    public List<SessionRecord> sessionsById(java.util.Collection<String> ids) {
        return ids.isEmpty() ? List.of() : db.read(dsl -> dsl.selectFrom(SESSIONS).where(SESSIONS.ID.in(ids)).fetch(RunStore::toSession));
    }

    /** Tokens used per task of the run, with the models they were used on by their one name (model "" when the agent did not say). */
    public Map<Long, Map<String, Price.Tokens>> tokens(String runId) {
        return tokensPer(runId, TOKEN_USAGE.TASK_ID);
    }

    /** Tokens used per session of the run, with the models they were used on by their one name (model "" when the agent did not say). */
    public Map<String, Map<String, Price.Tokens>> tokensBySession(String runId) {
        return tokensPer(runId, TOKEN_USAGE.SESSION_ID);
    }

    private <K> Map<K, Map<String, Price.Tokens>> tokensPer(String runId, org.jooq.Field<K> by) {
        return db.read(dsl -> {
            Map<K, Map<String, Price.Tokens>> out = new HashMap<>();
            dsl.select(by, TOKEN_USAGE.MODEL, DSL.sum(TOKEN_USAGE.INPUT_TOKENS), DSL.sum(TOKEN_USAGE.OUTPUT_TOKENS),
                            DSL.sum(TOKEN_USAGE.CACHE_READ_TOKENS), DSL.sum(TOKEN_USAGE.CACHE_WRITE_TOKENS))
                    .from(TOKEN_USAGE).where(TOKEN_USAGE.RUN_ID.eq(runId)).groupBy(by, TOKEN_USAGE.MODEL)
                    .forEach(r -> out.computeIfAbsent(r.value1(), k -> new HashMap<>()).merge(Store.modelKey(r.value2()),
                            new Price.Tokens(r.value3().longValue(), r.value4().longValue(), r.value5().longValue(), r.value6().longValue()),
                            Price.Tokens::plus));
            return out;
        });
    }

    /** The iterations of a session in order, each with its verification evidence. */
    public List<IterationRecord> iterations(String sessionId) {
        return db.read(dsl -> dsl.selectFrom(ITERATIONS).where(ITERATIONS.SESSION_ID.eq(sessionId)).orderBy(ITERATIONS.NUMBER)
                .fetch().map(it -> new IterationRecord(it.getSessionId(), it.getNumber(), it.getStatus(),
                        Optional.ofNullable(it.getPrompt()), Optional.ofNullable(it.getFailureSummary()),
                        Optional.ofNullable(it.getFailureFingerprint()),
                        dsl.selectFrom(QA_RESULTS).where(QA_RESULTS.ITERATION_ID.eq(it.getId())).orderBy(QA_RESULTS.ID)
                                .fetch(q -> new IterationRecord.Check(q.getKind(), q.getCommand(), Optional.ofNullable(q.getExitCode()),
                                        q.getPassed() == 1, q.getOutput(), q.getDurationMs())))));
    }

    /**
     * The version of the agent CLI that runs the session, once known; written beside the engine's
     * transactions because it changes no decision (the session row exists before its process starts).
     */
    public void cliVersion(String sessionId, String version) {
        db.write(dsl -> dsl.update(SESSIONS).set(SESSIONS.CLI_VERSION, version).where(SESSIONS.ID.eq(sessionId)).execute());
    }

    public Optional<SessionRecord> session(String sessionId) {
        return db.read(dsl -> dsl.selectFrom(SESSIONS).where(SESSIONS.ID.eq(sessionId)).fetchOptional(RunStore::toSession));
    }

    private static SessionRecord toSession(SessionsRecord r) {
        return new SessionRecord(r.getId(), r.getRunId(), r.getTaskId(), Optional.ofNullable(r.getAgentId()), r.getAttempt(),
                r.getStatus(), Optional.ofNullable(r.getPid()),
                Optional.ofNullable(r.getProcessStartTime()).map(Instant::ofEpochMilli), r.getWorkingDir(),
                Optional.ofNullable(r.getBranch()), r.getCommandLine(), Optional.ofNullable(r.getExitCode()),
                Optional.ofNullable(r.getEndReason()), Instant.ofEpochMilli(r.getStartedAt()),
                Optional.ofNullable(r.getEndedAt()).map(Instant::ofEpochMilli), Optional.ofNullable(r.getNativeSessionId()),
                Optional.ofNullable(r.getCliVersion()));
    }
}
