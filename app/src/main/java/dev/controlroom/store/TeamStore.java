package dev.controlroom.store;

import dev.controlroom.domain.Team;
import org.jooq.DSLContext;

import java.time.Clock;
import java.util.List;

import static dev.controlroom.store.schema.Tables.TEAMS;

/** Teams: named groups of agents. */
public final class TeamStore {
    private final Database db;
    private final Clock clock;

    TeamStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public List<Team> list() {
        return db.read(dsl -> dsl.selectFrom(TEAMS).orderBy(TEAMS.NAME).fetch(r -> new Team(r.getId(), r.getName(), r.getDescription())));
    }

    /** The team with this name, created when it does not exist yet. */
    public Team ensure(String name) {
        return db.write(dsl -> ensure(dsl, name, clock.millis()));
    }

    static Team ensure(DSLContext dsl, String name, long now) {
        dsl.insertInto(TEAMS, TEAMS.NAME, TEAMS.DESCRIPTION, TEAMS.CREATED_AT).values(name, "", now)
                .onConflict(TEAMS.NAME).doNothing().execute();
        var r = dsl.selectFrom(TEAMS).where(TEAMS.NAME.eq(name)).fetchSingle();
        return new Team(r.getId(), r.getName(), r.getDescription());
    }
}
