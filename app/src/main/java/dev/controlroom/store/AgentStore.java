package dev.controlroom.store;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.AgentStats;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.NewAgent;
import dev.controlroom.domain.Price;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.AGENTS;
import static dev.controlroom.store.schema.Tables.SESSIONS;
import static dev.controlroom.store.schema.Tables.TASKS;
import static dev.controlroom.store.schema.Tables.TEAMS;
import static dev.controlroom.store.schema.Tables.TOKEN_USAGE;

/** The roster: hiring, firing and rehiring agents; their stats survive all three. */
public final class AgentStore {
    private final Database db;
    private final Clock clock;

    AgentStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Agent hire(NewAgent agent) {
        return db.write(dsl -> {
            long id = hire(dsl, agent, clock.millis());
            return find(dsl, id).orElseThrow();
        });
    }

    static long hire(DSLContext dsl, NewAgent agent, long now) {
        Long teamId = agent.team().map(t -> TeamStore.ensure(dsl, t, now).id()).orElse(null);
        boolean taken = dsl.fetchExists(AGENTS, AGENTS.NAME.eq(agent.name()));
        if (taken) {
            throw new StoreException("an agent named '" + agent.name() + "' is already on the roster");
        }
        return dsl.insertInto(AGENTS)
                .set(AGENTS.TEAM_ID, teamId)
                .set(AGENTS.NAME, agent.name())
                .set(AGENTS.PROFILE, agent.profile().id())
                .set(AGENTS.MODEL, agent.model().orElse(null))
                .set(AGENTS.COMMAND_TEMPLATE, agent.commandTemplate().orElse(null))
                .set(AGENTS.MAX_CONCURRENT, agent.maxConcurrent())
                .set(AGENTS.ACTIVE, 1)
                .set(AGENTS.STATUS, AgentStatus.IDLE.id())
                .set(AGENTS.HIRED_AT, now)
                .set(AGENTS.CREATED_AT, now)
                .set(AGENTS.UPDATED_AT, now)
                .returning(AGENTS.ID)
                .fetchSingle(AGENTS.ID);
    }

    /**
     * Changes what an agent is (name, team, profile, model, command, slots); its history stays. The
     * new name must not belong to another agent.
     */
    public Agent edit(long id, NewAgent changes) {
        long now = clock.millis();
        return db.write(dsl -> {
            if (dsl.fetchExists(AGENTS, AGENTS.NAME.eq(changes.name()).and(AGENTS.ID.ne(id)))) {
                throw new StoreException("an agent named '" + changes.name() + "' is already on the roster");
            }
            Long teamId = changes.team().map(t -> TeamStore.ensure(dsl, t, now).id()).orElse(null);
            int n = dsl.update(AGENTS)
                    .set(AGENTS.TEAM_ID, teamId)
                    .set(AGENTS.NAME, changes.name())
                    .set(AGENTS.PROFILE, changes.profile().id())
                    .set(AGENTS.MODEL, changes.model().orElse(null))
                    .set(AGENTS.COMMAND_TEMPLATE, changes.commandTemplate().orElse(null))
                    .set(AGENTS.MAX_CONCURRENT, changes.maxConcurrent())
                    .set(AGENTS.UPDATED_AT, now)
                    .where(AGENTS.ID.eq(id)).execute();
            if (n == 0) {
                throw new StoreException("no agent with id " + id);
            }
            return find(dsl, id).orElseThrow();
        });
    }

    /** A task an agent is working on right now: one open session. */
    public record CurrentWork(long agentId, String runId, String sessionId, String taskKey, String taskTitle, Instant since) {
    }

    /** Every open session (starting or running) with its agent and task, oldest first. */
    public List<CurrentWork> currentWork() {
        return db.read(dsl -> dsl.select(SESSIONS.AGENT_ID, SESSIONS.RUN_ID, SESSIONS.ID, TASKS.KEY, TASKS.TITLE, SESSIONS.STARTED_AT)
                .from(SESSIONS).join(TASKS).on(TASKS.ID.eq(SESSIONS.TASK_ID))
                .where(SESSIONS.STATUS.in("starting", "running")).and(SESSIONS.AGENT_ID.isNotNull())
                .orderBy(SESSIONS.STARTED_AT)
                .fetch(r -> new CurrentWork(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), Instant.ofEpochMilli(r.value6()))));
    }

    /** Tokens each agent used since {@code since}, per model by its one name ("" when the agent did not name one). */
    public Map<Long, Map<String, Price.Tokens>> tokensSince(Instant since) {
        return db.read(dsl -> {
            Map<Long, Map<String, Price.Tokens>> out = new HashMap<>();
            dsl.select(TOKEN_USAGE.AGENT_ID, TOKEN_USAGE.MODEL, DSL.sum(TOKEN_USAGE.INPUT_TOKENS),
                            DSL.sum(TOKEN_USAGE.OUTPUT_TOKENS), DSL.sum(TOKEN_USAGE.CACHE_READ_TOKENS),
                            DSL.sum(TOKEN_USAGE.CACHE_WRITE_TOKENS))
                    .from(TOKEN_USAGE).where(TOKEN_USAGE.AT.ge(since.toEpochMilli())).and(TOKEN_USAGE.AGENT_ID.isNotNull())
                    .groupBy(TOKEN_USAGE.AGENT_ID, TOKEN_USAGE.MODEL)
                    .forEach(r -> out.computeIfAbsent(r.value1(), k -> new HashMap<>()).merge(Store.modelKey(r.value2()),
                            new Price.Tokens(r.value3().longValue(), r.value4().longValue(),
                                    r.value5().longValue(), r.value6().longValue()), Price.Tokens::plus));
            return out;
        });
    }

    /** Takes the agent off the active roster; it keeps its history and can be rehired. */
    public Agent fire(long id) {
        return setActive(id, false);
    }

    public Agent rehire(long id) {
        return setActive(id, true);
    }

    private Agent setActive(long id, boolean active) {
        long now = clock.millis();
        return db.write(dsl -> {
            var update = dsl.update(AGENTS)
                    .set(AGENTS.ACTIVE, active ? 1 : 0)
                    .set(AGENTS.STATUS, active ? AgentStatus.IDLE.id() : AgentStatus.OFFLINE.id())
                    .set(AGENTS.UPDATED_AT, now);
            update = active ? update.set(AGENTS.HIRED_AT, now).setNull(AGENTS.FIRED_AT) : update.set(AGENTS.FIRED_AT, now);
            int n = update.where(AGENTS.ID.eq(id)).execute();
            if (n == 0) {
                throw new StoreException("no agent with id " + id);
            }
            return find(dsl, id).orElseThrow();
        });
    }

    public List<Agent> listAll() {
        return db.read(dsl -> select(dsl).orderBy(AGENTS.ACTIVE.desc(), AGENTS.ID).fetch(AgentStore::toAgent));
    }

    public List<Agent> listActive() {
        return db.read(dsl -> select(dsl).where(AGENTS.ACTIVE.eq(1)).orderBy(AGENTS.ID).fetch(AgentStore::toAgent));
    }

    public Optional<Agent> find(long id) {
        return db.read(dsl -> find(dsl, id));
    }

    public Optional<Agent> findByName(String name) {
        return db.read(dsl -> select(dsl).where(AGENTS.NAME.eq(name)).fetchOptional(AgentStore::toAgent));
    }

    static Optional<Agent> find(DSLContext dsl, long id) {
        return select(dsl).where(AGENTS.ID.eq(id)).fetchOptional(AgentStore::toAgent);
    }

    private static org.jooq.SelectOnConditionStep<Record> select(DSLContext dsl) {
        return dsl.select(AGENTS.fields()).select(TEAMS.NAME).from(AGENTS).leftJoin(TEAMS).on(TEAMS.ID.eq(AGENTS.TEAM_ID));
    }

    private static Agent toAgent(Record r) {
        return new Agent(
                r.get(AGENTS.ID),
                r.get(AGENTS.NAME),
                Optional.ofNullable(r.get(TEAMS.NAME)),
                AgentProfile.fromId(r.get(AGENTS.PROFILE)).orElseThrow(),
                Optional.ofNullable(r.get(AGENTS.MODEL)),
                Optional.ofNullable(r.get(AGENTS.COMMAND_TEMPLATE)),
                r.get(AGENTS.MAX_CONCURRENT),
                r.get(AGENTS.ACTIVE) == 1,
                AgentStatus.fromId(r.get(AGENTS.STATUS)),
                new AgentStats(r.get(AGENTS.TASKS_SUCCEEDED), r.get(AGENTS.TASKS_FAILED), r.get(AGENTS.TOTAL_REWARD),
                        r.get(AGENTS.TOTAL_TOKENS), r.get(AGENTS.TOTAL_DURATION_MS)),
                Optional.ofNullable(r.get(AGENTS.LAST_ACTIVE_AT)).map(Instant::ofEpochMilli));
    }
}
