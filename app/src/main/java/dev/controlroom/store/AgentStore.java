package dev.controlroom.store;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.AgentStats;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.NewAgent;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.AGENTS;
import static dev.controlroom.store.schema.Tables.TEAMS;

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
