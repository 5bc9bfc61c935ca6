package dev.controlroom.store;

import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.PlanSpec;
import dev.controlroom.domain.PlanSummary;
import dev.controlroom.domain.StoredTask;
import dev.controlroom.domain.TaskContext;
import dev.controlroom.domain.TaskSpec;
import dev.controlroom.domain.WaveMode;
import dev.controlroom.store.schema.tables.records.TasksRecord;
import org.jooq.DSLContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.AGENTS;
import static dev.controlroom.store.schema.Tables.PLANS;
import static dev.controlroom.store.schema.Tables.TASKS;
import static dev.controlroom.store.schema.Tables.TASK_DEPENDENCIES;

/** Task lists: importing a validated plan, editing its tasks, reading them and their dependencies back. */
public final class PlanStore {
    private final SecretVault secrets;
    private final Database db;
    private final Clock clock;

    PlanStore(Database db, Clock clock, SecretVault secrets) {
        this.secrets = secrets;
        this.db = db;
        this.clock = clock;
    }

    /** Where a plan came from, kept with it so it can be exported as written. */
    public record Source(Optional<String> path, String format, Optional<String> text) {
        public static Source of(String path, String format, String text) {
            return new Source(Optional.ofNullable(path), format, Optional.ofNullable(text));
        }
    }

    /**
     * Stores a validated plan in one transaction: roster additions it declares, its tasks and
     * their dependencies. Either all of it is stored or nothing.
     */
    public PlanSummary importPlan(PlanSpec plan, Source source) {
        long now = clock.millis();
        // The vault file is written once, inside the transaction, before it commits the references.
        long planId = db.write(dsl -> secrets.batch(() -> {
            for (PlanSpec.AgentSpec a : plan.agents()) {
                if (!dsl.fetchExists(AGENTS, AGENTS.NAME.eq(a.id()))) {
                    AgentStore.hire(dsl, new NewAgent(a.id(), Optional.empty(), a.profile(), a.model(),
                            a.commandTemplate(), a.maxConcurrent()), now);
                }
            }
            long id = dsl.insertInto(PLANS)
                    .set(PLANS.NAME, plan.name())
                    .set(PLANS.SOURCE_PATH, source.path().orElse(null))
                    .set(PLANS.FORMAT, source.format())
                    .set(PLANS.SOURCE_TEXT, source.text().map(text -> sealedSource(text, plan)).orElse(null))
                    .set(PLANS.CONCURRENCY, plan.concurrency().orElse(null))
                    .set(PLANS.WAVE_MODE, plan.waveMode().id())
                    .set(PLANS.WATCHDOG_JSON, Json.watchdog(plan.watchdog()))
                    .set(PLANS.IMPORTED_AT, now)
                    .returning(PLANS.ID).fetchSingle(PLANS.ID);
            Map<String, Long> ids = new HashMap<>();
            int position = 0;
            for (TaskSpec t : plan.tasks()) {
                ids.put(t.key(), insertTask(dsl, id, t, position++, now));
            }
            for (TaskSpec t : plan.tasks()) {
                int order = 0;
                for (String dep : t.dependsOn()) {
                    dsl.insertInto(TASK_DEPENDENCIES, TASK_DEPENDENCIES.TASK_ID, TASK_DEPENDENCIES.DEPENDS_ON_ID,
                            TASK_DEPENDENCIES.POSITION).values(ids.get(t.key()), ids.get(dep), order++).execute();
                }
            }
            return id;
        }));
        return find(planId).orElseThrow();
    }

    /** A new, empty task list made in the window. */
    public PlanSummary createPlan(String name) {
        long id = db.write(dsl -> dsl.insertInto(PLANS)
                .set(PLANS.NAME, name)
                .set(PLANS.FORMAT, "ui")
                .set(PLANS.WAVE_MODE, WaveMode.DATAFLOW.id())
                .set(PLANS.IMPORTED_AT, clock.millis())
                .returning(PLANS.ID).fetchSingle(PLANS.ID));
        return find(id).orElseThrow();
    }

    /**
     * Adds a task at the end of a task list, with its dependencies, in one transaction.
     *
     * @throws IllegalArgumentException when the key is taken or a dependency names no task of the list
     */
    public StoredTask addTask(long planId, TaskSpec spec) {
        long id = db.write(dsl -> {
            Map<String, Long> ids = keys(dsl, planId);
            if (ids.containsKey(spec.key())) {
                throw new IllegalArgumentException("the task list already has a task '" + spec.key() + "'");
            }
            int position = dsl.select(org.jooq.impl.DSL.max(TASKS.POSITION)).from(TASKS).where(TASKS.PLAN_ID.eq(planId))
                    .fetchOptional(0, Integer.class).map(p -> p + 1).orElse(0);
            long taskId = insertTask(dsl, planId, spec, position, clock.millis());
            ids.put(spec.key(), taskId);
            insertDependencies(dsl, taskId, spec, ids);
            return taskId;
        });
        return task(planId, id);
    }

    /**
     * Replaces a task's definition and its dependencies, keeping its place in the list and its history.
     *
     * @throws IllegalArgumentException when the new key is taken or a dependency names no task of the list
     */
    public StoredTask updateTask(long taskId, TaskSpec spec) {
        long planId = db.write(dsl -> {
            TasksRecord row = dsl.selectFrom(TASKS).where(TASKS.ID.eq(taskId)).fetchOptional()
                    .orElseThrow(() -> new IllegalArgumentException("no task with id " + taskId));
            Map<String, Long> ids = keys(dsl, row.getPlanId());
            Long holder = ids.get(spec.key());
            if (holder != null && holder != taskId) {
                throw new IllegalArgumentException("the task list already has a task '" + spec.key() + "'");
            }
            ids.remove(row.getKey());
            ids.put(spec.key(), taskId);
            dsl.update(TASKS)
                    .set(columns(dsl, spec))
                    .set(TASKS.UPDATED_AT, clock.millis())
                    .where(TASKS.ID.eq(taskId)).execute();
            dsl.deleteFrom(TASK_DEPENDENCIES).where(TASK_DEPENDENCIES.TASK_ID.eq(taskId)).execute();
            insertDependencies(dsl, taskId, spec, ids);
            return row.getPlanId();
        });
        return task(planId, taskId);
    }

    /**
     * Deletes a task and its run history. Refused while other tasks depend on it, since deleting it
     * would silently drop their dependency.
     *
     * @throws IllegalArgumentException naming the dependent tasks
     */
    public void deleteTask(long taskId) {
        db.write(dsl -> {
            List<String> dependents = dsl.select(TASKS.KEY).from(TASK_DEPENDENCIES).join(TASKS).on(TASKS.ID.eq(TASK_DEPENDENCIES.TASK_ID))
                    .where(TASK_DEPENDENCIES.DEPENDS_ON_ID.eq(taskId)).orderBy(TASKS.POSITION).fetch(TASKS.KEY);
            if (!dependents.isEmpty()) {
                throw new IllegalArgumentException("tasks " + String.join(", ", dependents)
                        + " depend on this task; remove that dependency first");
            }
            return dsl.deleteFrom(TASKS).where(TASKS.ID.eq(taskId)).execute();
        });
    }

    /** Sets the priority of several tasks in one transaction (a reorder on the board). */
    public void setPriorities(Map<Long, Integer> priorities) {
        long now = clock.millis();
        db.write(dsl -> {
            priorities.forEach((id, priority) -> dsl.update(TASKS).set(TASKS.PRIORITY, priority).set(TASKS.UPDATED_AT, now)
                    .where(TASKS.ID.eq(id)).execute());
            return priorities.size();
        });
    }

    /**
     * The task list as a plan a file can hold: its settings, its tasks, and the roster agents its
     * tasks name (so the file reads back on a machine whose roster lacks them).
     */
    public Optional<PlanSpec> spec(long planId) {
        return find(planId).map(plan -> {
            List<TaskSpec> tasks = tasksOf(planId).stream().map(StoredTask::spec).toList();
            java.util.Set<String> named = new java.util.LinkedHashSet<>();
            tasks.forEach(t -> t.agent().ifPresent(named::add));
            List<PlanSpec.AgentSpec> agents = db.read(dsl -> dsl.selectFrom(AGENTS).where(AGENTS.NAME.in(named)).orderBy(AGENTS.ID)
                    .fetch(a -> new PlanSpec.AgentSpec(a.getName(), dev.controlroom.domain.AgentProfile.fromId(a.getProfile()).orElseThrow(),
                            Optional.ofNullable(a.getModel()), a.getMaxConcurrent(), Optional.ofNullable(a.getCommandTemplate()))));
            return new PlanSpec(plan.name(), plan.concurrency(), plan.waveMode(), agents, tasks, plan.watchdog());
        });
    }

    private static Map<String, Long> keys(DSLContext dsl, long planId) {
        Map<String, Long> ids = new HashMap<>();
        dsl.select(TASKS.KEY, TASKS.ID).from(TASKS).where(TASKS.PLAN_ID.eq(planId)).forEach(r -> ids.put(r.value1(), r.value2()));
        return ids;
    }

    private static void insertDependencies(DSLContext dsl, long taskId, TaskSpec spec, Map<String, Long> ids) {
        int order = 0;
        for (String dep : spec.dependsOn()) {
            Long depId = ids.get(dep);
            if (depId == null) {
                throw new IllegalArgumentException("task '" + spec.key() + "' depends on unknown task '" + dep + "'");
            }
            dsl.insertInto(TASK_DEPENDENCIES, TASK_DEPENDENCIES.TASK_ID, TASK_DEPENDENCIES.DEPENDS_ON_ID, TASK_DEPENDENCIES.POSITION)
                    .values(taskId, depId, order++).execute();
        }
    }

    /**
     * Adds a sub-task of {@code parentTaskId} to that task's list, inside the caller's transaction (the
     * engine stores it and its place in the live run together).
     */
    long insertSubTask(DSLContext dsl, long parentTaskId, TaskSpec spec, long now) {
        long planId = dsl.select(TASKS.PLAN_ID).from(TASKS).where(TASKS.ID.eq(parentTaskId)).fetchOptional(TASKS.PLAN_ID)
                .orElseThrow(() -> new IllegalArgumentException("no task with id " + parentTaskId));
        Map<String, Long> ids = keys(dsl, planId);
        if (ids.containsKey(spec.key())) {
            throw new IllegalArgumentException("the task list already has a task '" + spec.key() + "'");
        }
        int position = dsl.select(org.jooq.impl.DSL.max(TASKS.POSITION)).from(TASKS).where(TASKS.PLAN_ID.eq(planId))
                .fetchOptional(0, Integer.class).map(p -> p + 1).orElse(0);
        long taskId = insertTask(dsl, planId, spec, position, now);
        dsl.update(TASKS).set(TASKS.PARENT_TASK_ID, parentTaskId).where(TASKS.ID.eq(taskId)).execute();
        ids.put(spec.key(), taskId);
        insertDependencies(dsl, taskId, spec, ids);
        return taskId;
    }

    /** The sub-tasks of a list: each task id with the id of the task it was created under. */
    /**
     * What changes whenever a task of the list is added, edited, reordered or deleted (the number of
     * its tasks, their newest id and newest change): a reader may keep what it built from the list
     * while this stays the same.
     */
    public String version(long planId) {
        return db.read(dsl -> {
            var r = dsl.select(org.jooq.impl.DSL.count(), org.jooq.impl.DSL.max(TASKS.ID), org.jooq.impl.DSL.max(TASKS.UPDATED_AT),
                    org.jooq.impl.DSL.sum(TASKS.POSITION)).from(TASKS).where(TASKS.PLAN_ID.eq(planId)).fetchOne();
            return r.value1() + ":" + r.value2() + ":" + r.value3() + ":" + r.value4();
        });
    }

    public Map<Long, Long> parents(long planId) {
        return db.read(dsl -> {
            Map<Long, Long> parents = new HashMap<>();
            dsl.select(TASKS.ID, TASKS.PARENT_TASK_ID).from(TASKS).where(TASKS.PLAN_ID.eq(planId), TASKS.PARENT_TASK_ID.isNotNull())
                    .forEach(r -> parents.put(r.value1(), r.value2()));
            return parents;
        });
    }

    private StoredTask task(long planId, long taskId) {
        return tasksOf(planId).stream().filter(t -> t.id() == taskId).findFirst().orElseThrow();
    }

    /** A task by its database id, whichever list holds it. */
    public Optional<StoredTask> task(long taskId) {
        return db.read(dsl -> dsl.select(TASKS.PLAN_ID).from(TASKS).where(TASKS.ID.eq(taskId)).fetchOptional(TASKS.PLAN_ID))
                .flatMap(planId -> tasksOf(planId).stream().filter(t -> t.id() == taskId).findFirst());
    }

    /** A task's definition as the tasks table's columns: one mapping for adding and for editing. */
    private java.util.Map<org.jooq.Field<?>, Object> columns(DSLContext dsl, TaskSpec t) {
        Long agentId = t.agent().flatMap(name -> dsl.select(AGENTS.ID).from(AGENTS).where(AGENTS.NAME.eq(name))
                .fetchOptional(AGENTS.ID)).orElse(null);
        TaskContext c = t.context();
        java.util.Map<org.jooq.Field<?>, Object> m = new java.util.LinkedHashMap<>();
        m.put(TASKS.KEY, t.key());
        m.put(TASKS.TITLE, t.title());
        m.put(TASKS.PROMPT, t.prompt().map(secrets::sealSecretsIn).orElse(null));
        m.put(TASKS.COMMAND, t.command().map(secrets::sealSecretsIn).orElse(null));
        m.put(TASKS.PRIORITY, t.priority());
        m.put(TASKS.CATEGORY, t.category().orElse(null));
        m.put(TASKS.CRITICAL, t.critical() ? 1 : 0);
        m.put(TASKS.PREFERRED_AGENT_ID, agentId);
        m.put(TASKS.PREFERRED_PROFILE, t.profile().orElse(null));
        m.put(TASKS.PINNED, t.pinned() ? 1 : 0);
        m.put(TASKS.REPO_PATH, c.repo().orElse(null));
        m.put(TASKS.WORKING_DIR, c.workingDir().orElse(null));
        m.put(TASKS.BASE_BRANCH, c.branch().orElse(null));
        m.put(TASKS.USE_WORKTREE, c.worktree() ? 1 : 0);
        m.put(TASKS.ENV_JSON, Json.write(secrets.sealValues(c.env())));
        m.put(TASKS.SETUP_JSON, Json.write(c.setup().stream().map(secrets::sealSecretsIn).toList()));
        m.put(TASKS.COPY_FILES_JSON, Json.write(c.copyFiles()));
        m.put(TASKS.VERIFY_JSON, Json.write(t.verify().stream().map(secrets::sealSecretsIn).toList()));
        m.put(TASKS.MAX_ATTEMPTS, t.maxAttempts());
        m.put(TASKS.TIMEOUT_MS, t.timeout().map(Duration::toMillis).orElse(null));
        m.put(TASKS.WATCHDOG_JSON, Json.watchdog(t.watchdog()));
        return m;
    }

    private long insertTask(DSLContext dsl, long planId, TaskSpec t, int position, long now) {
        return dsl.insertInto(TASKS)
                .set(columns(dsl, t))
                .set(TASKS.PLAN_ID, planId)
                .set(TASKS.POSITION, position)
                .set(TASKS.CREATED_AT, now)
                .set(TASKS.UPDATED_AT, now)
                .returning(TASKS.ID).fetchSingle(TASKS.ID);
    }

    /** A plan file's text as stored: its tasks' environment values and every secret in it sealed. */
    private String sealedSource(String text, PlanSpec plan) {
        return secrets.sealSource(text, plan.tasks().stream().flatMap(t -> t.context().env().values().stream()).toList());
    }

    /** The task list imported from this file with exactly this text, if there is one: running it again reuses it. */
    public Optional<PlanSummary> findImported(String sourcePath, String sourceText, PlanSpec plan) {
        String sealed = sealedSource(sourceText, plan);
        Optional<Long> id = db.read(dsl -> dsl.select(PLANS.ID).from(PLANS)
                .where(PLANS.SOURCE_PATH.eq(sourcePath), PLANS.SOURCE_TEXT.eq(sealed)).orderBy(PLANS.ID.desc()).limit(1)
                .fetchOptional(PLANS.ID));
        return id.flatMap(this::find);
    }

    public Optional<PlanSummary> find(long planId) {
        return db.read(dsl -> summaries(dsl).stream().filter(p -> p.id() == planId).findFirst());
    }

    /** All task lists, newest first. */
    public List<PlanSummary> list() {
        return db.read(PlanStore::summaries);
    }

    private static List<PlanSummary> summaries(DSLContext dsl) {
        var count = org.jooq.impl.DSL.selectCount().from(TASKS).where(TASKS.PLAN_ID.eq(PLANS.ID)).<Integer>asField("task_count");
        return dsl.select(PLANS.fields()).select(count).from(PLANS).orderBy(PLANS.ID.desc()).fetch(r -> new PlanSummary(
                r.get(PLANS.ID), r.get(PLANS.NAME), Optional.ofNullable(r.get(PLANS.SOURCE_PATH)),
                WaveMode.fromId(r.get(PLANS.WAVE_MODE)).orElseThrow(), Optional.ofNullable(r.get(PLANS.CONCURRENCY)),
                Instant.ofEpochMilli(r.get(PLANS.IMPORTED_AT)), r.get(count), Json.watchdog(r.get(PLANS.WATCHDOG_JSON))));
    }

    /** The tasks of a task list in plan order, each with the keys of the tasks it depends on. */
    public List<StoredTask> tasksOf(long planId) {
        return db.read(dsl -> {
            Map<Long, String> keys = new HashMap<>();
            List<TasksRecord> rows = dsl.selectFrom(TASKS).where(TASKS.PLAN_ID.eq(planId)).orderBy(TASKS.POSITION, TASKS.ID).fetch();
            rows.forEach(r -> keys.put(r.getId(), r.getKey()));
            Map<Long, List<String>> deps = new LinkedHashMap<>();
            dsl.select(TASK_DEPENDENCIES.TASK_ID, TASK_DEPENDENCIES.DEPENDS_ON_ID).from(TASK_DEPENDENCIES)
                    .join(TASKS).on(TASKS.ID.eq(TASK_DEPENDENCIES.TASK_ID)).where(TASKS.PLAN_ID.eq(planId))
                    .orderBy(TASK_DEPENDENCIES.TASK_ID, TASK_DEPENDENCIES.POSITION)
                    .forEach(r -> deps.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(keys.get(r.value2())));
            Map<Long, String> agentNames = new HashMap<>();
            dsl.select(AGENTS.ID, AGENTS.NAME).from(AGENTS).forEach(r -> agentNames.put(r.value1(), r.value2()));
            return rows.stream().map(r -> new StoredTask(r.getId(), planId, toSpec(r,
                    deps.getOrDefault(r.getId(), List.of()),
                    Optional.ofNullable(r.getPreferredAgentId()).map(agentNames::get)))).toList();
        });
    }

    private static TaskSpec toSpec(TasksRecord r, List<String> dependsOn, Optional<String> agent) {
        TaskContext context = new TaskContext(Optional.ofNullable(r.getRepoPath()), Optional.ofNullable(r.getWorkingDir()),
                Optional.ofNullable(r.getBaseBranch()), r.getUseWorktree() == 1, Json.map(r.getEnvJson()),
                Json.list(r.getSetupJson()), Json.list(r.getCopyFilesJson()));
        return new TaskSpec(r.getKey(), r.getTitle(), Optional.ofNullable(r.getCommand()), Optional.ofNullable(r.getPrompt()),
                r.getPriority(), dependsOn, agent, Optional.ofNullable(r.getPreferredProfile()), r.getPinned() == 1,
                r.getCritical() == 1, Optional.ofNullable(r.getCategory()), context, Json.list(r.getVerifyJson()),
                r.getMaxAttempts(), Optional.ofNullable(r.getTimeoutMs()).map(Duration::ofMillis), Json.watchdog(r.getWatchdogJson()));
    }
}
