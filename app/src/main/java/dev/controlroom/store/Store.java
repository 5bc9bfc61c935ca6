package dev.controlroom.store;

import java.nio.file.Path;
import java.time.Clock;

/** The repositories over one database file. */
public final class Store implements AutoCloseable {
    private final Database db;
    private final SettingsStore settings;
    private final TeamStore teams;
    private final AgentStore agents;
    private final PlanStore plans;
    private final EventStore events;
    private final RunStore runs;
    private final OutputStore output;
    private final PriceStore prices;
    private final SecretVault secrets;
    private final EngineLeaseStore leases;

    public Store(Database db, Clock clock) {
        this.db = db;
        this.settings = new SettingsStore(db, clock);
        this.teams = new TeamStore(db, clock);
        this.agents = new AgentStore(db, clock);
        this.secrets = SecretVault.beside(db.file());
        this.leases = new EngineLeaseStore(db, clock);
        this.plans = new PlanStore(db, clock, secrets);
        SecretsAtRest.sealOnce(db, settings, secrets);
        this.events = new EventStore(db, clock);
        this.runs = new RunStore(db, clock, plans);
        this.output = new OutputStore(db);
        this.prices = new PriceStore(db, clock);
    }

    public static Store open(Path file, Clock clock) {
        return new Store(Database.open(file), clock);
    }

    public Path file() {
        return db.file();
    }

    /** Whether the database takes writes now, for whoever shows it. */
    public WriteHealth health() {
        return db.health();
    }

    public Database database() {
        return db;
    }

    public SettingsStore settings() {
        return settings;
    }

    public TeamStore teams() {
        return teams;
    }

    public AgentStore agents() {
        return agents;
    }

    public PlanStore plans() {
        return plans;
    }

    public EventStore events() {
        return events;
    }

    public RunStore runs() {
        return runs;
    }

    /** Which engine runs on this database. */
    public EngineLeaseStore leases() {
        return leases;
    }

    /** The secrets of task definitions, kept beside the database instead of in it. */
    public SecretVault secrets() {
        return secrets;
    }

    public PriceStore prices() {
        return prices;
    }

    public OutputStore output() {
        return output;
    }

    /**
     * A stored model name as the key tokens are summed under: its one name, so rows stored before names
     * were made canonical ({@code claude-opus-4-8[1m]}) add up with the newer ones; {@code ""} for none.
     */
    static String modelKey(String stored) {
        return dev.controlroom.domain.ModelNames.canonical(stored).orElse("");
    }

    @Override
    public void close() {
        db.close();
    }
}
