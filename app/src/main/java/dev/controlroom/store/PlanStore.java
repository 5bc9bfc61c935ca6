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

/** Task lists: importing a validated plan, reading its tasks and dependencies back. */
public final class PlanStore {
    private final Database db;
    private final Clock clock;

    PlanStore(Database db, Clock clock) {
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
        long planId = db.write(dsl -> {
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
                    .set(PLANS.SOURCE_TEXT, source.text().orElse(null))
                    .set(PLANS.CONCURRENCY, plan.concurrency().orElse(null))
                    .set(PLANS.WAVE_MODE, plan.waveMode().id())
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
        });
        return find(planId).orElseThrow();
    }

    private static long insertTask(DSLContext dsl, long planId, TaskSpec t, int position, long now) {
        Long agentId = t.agent().flatMap(name -> dsl.select(AGENTS.ID).from(AGENTS).where(AGENTS.NAME.eq(name))
                .fetchOptional(AGENTS.ID)).orElse(null);
        TaskContext c = t.context();
        return dsl.insertInto(TASKS)
                .set(TASKS.PLAN_ID, planId)
                .set(TASKS.KEY, t.key())
                .set(TASKS.TITLE, t.title())
                .set(TASKS.PROMPT, t.prompt().orElse(null))
                .set(TASKS.COMMAND, t.command().orElse(null))
                .set(TASKS.PRIORITY, t.priority())
                .set(TASKS.CATEGORY, t.category().orElse(null))
                .set(TASKS.CRITICAL, t.critical() ? 1 : 0)
                .set(TASKS.PREFERRED_AGENT_ID, agentId)
                .set(TASKS.PREFERRED_PROFILE, t.profile().orElse(null))
                .set(TASKS.PINNED, t.pinned() ? 1 : 0)
                .set(TASKS.REPO_PATH, c.repo().orElse(null))
                .set(TASKS.WORKING_DIR, c.workingDir().orElse(null))
                .set(TASKS.BASE_BRANCH, c.branch().orElse(null))
                .set(TASKS.USE_WORKTREE, c.worktree() ? 1 : 0)
                .set(TASKS.ENV_JSON, Json.write(c.env()))
                .set(TASKS.SETUP_JSON, Json.write(c.setup()))
                .set(TASKS.COPY_FILES_JSON, Json.write(c.copyFiles()))
                .set(TASKS.VERIFY_JSON, Json.write(t.verify()))
                .set(TASKS.MAX_ATTEMPTS, t.maxAttempts())
                .set(TASKS.TIMEOUT_MS, t.timeout().map(Duration::toMillis).orElse(null))
                .set(TASKS.POSITION, position)
                .set(TASKS.CREATED_AT, now)
                .set(TASKS.UPDATED_AT, now)
                .returning(TASKS.ID).fetchSingle(TASKS.ID);
    }

    /** The task list imported from this file with exactly this text, if there is one: running it again reuses it. */
    public Optional<PlanSummary> findImported(String sourcePath, String sourceText) {
        Optional<Long> id = db.read(dsl -> dsl.select(PLANS.ID).from(PLANS)
                .where(PLANS.SOURCE_PATH.eq(sourcePath), PLANS.SOURCE_TEXT.eq(sourceText)).orderBy(PLANS.ID.desc()).limit(1)
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
                Instant.ofEpochMilli(r.get(PLANS.IMPORTED_AT)), r.get(count)));
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
                r.getMaxAttempts(), Optional.ofNullable(r.getTimeoutMs()).map(Duration::ofMillis));
    }
}
