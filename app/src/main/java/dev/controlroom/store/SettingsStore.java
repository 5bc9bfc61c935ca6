package dev.controlroom.store;

import java.time.Clock;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.SETTINGS;

/** Application settings as string key/value pairs. */
public final class SettingsStore {
    private final Database db;
    private final Clock clock;

    SettingsStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<String> get(String key) {
        return db.read(dsl -> dsl.select(SETTINGS.VALUE).from(SETTINGS).where(SETTINGS.KEY.eq(key)).fetchOptional(SETTINGS.VALUE));
    }

    public void put(String key, String value) {
        long now = clock.millis();
        db.write(dsl -> dsl.insertInto(SETTINGS, SETTINGS.KEY, SETTINGS.VALUE, SETTINGS.UPDATED_AT)
                .values(key, value, now)
                .onConflict(SETTINGS.KEY).doUpdate().set(SETTINGS.VALUE, value).set(SETTINGS.UPDATED_AT, now)
                .execute());
    }
}
