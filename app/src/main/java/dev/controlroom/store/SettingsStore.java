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

    /** Every setting whose key starts with {@code prefix}, keyed by the rest of the key. */
    public java.util.Map<String, String> withPrefix(String prefix) {
        return db.read(dsl -> {
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            dsl.select(SETTINGS.KEY, SETTINGS.VALUE).from(SETTINGS).where(SETTINGS.KEY.startsWith(prefix)).orderBy(SETTINGS.KEY)
                    .forEach(r -> out.put(r.value1().substring(prefix.length()), r.value2()));
            return out;
        });
    }

    public void put(String key, String value) {
        long now = clock.millis();
        db.write(dsl -> dsl.insertInto(SETTINGS, SETTINGS.KEY, SETTINGS.VALUE, SETTINGS.UPDATED_AT)
                .values(key, value, now)
                .onConflict(SETTINGS.KEY).doUpdate().set(SETTINGS.VALUE, value).set(SETTINGS.UPDATED_AT, now)
                .execute());
    }
}
