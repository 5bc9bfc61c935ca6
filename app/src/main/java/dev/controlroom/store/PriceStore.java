package dev.controlroom.store;

import dev.controlroom.domain.Price;

import java.time.Clock;
import java.util.List;

import static dev.controlroom.store.schema.Tables.PRICES;

/** The editable price table that turns tokens into an estimated cost. */
public final class PriceStore {
    /**
     * List prices per million tokens (input, output, cache read, cache write) as published by the
     * providers; a starting point for the table, which a person edits to match their contract.
     */
    static final List<Price> DEFAULTS = List.of(
            new Price("claude-opus-4", 15, 75, 1.5, 18.75, "USD"),
            new Price("claude-sonnet-4", 3, 15, 0.3, 3.75, "USD"),
            new Price("claude-haiku-4", 1, 5, 0.1, 1.25, "USD"),
            new Price("claude-3-5-haiku", 0.8, 4, 0.08, 1, "USD"),
            new Price("gpt-5", 1.25, 10, 0.125, 0, "USD"),
            new Price("gpt-5-mini", 0.25, 2, 0.025, 0, "USD"),
            new Price("gemini-2.5-pro", 1.25, 10, 0.31, 0, "USD"),
            new Price("gemini-2.5-flash", 0.3, 2.5, 0.075, 0, "USD"));

    private final Database db;
    private final Clock clock;

    PriceStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public List<Price> list() {
        return db.read(dsl -> dsl.selectFrom(PRICES).orderBy(PRICES.MODEL).fetch(r -> new Price(r.getModel(), r.getInputPerMtok(),
                r.getOutputPerMtok(), r.getCacheReadPerMtok(), r.getCacheWritePerMtok(), r.getCurrency())));
    }

    /** Adds or changes one model's price. */
    public void put(Price p) {
        if (p.model().isBlank() || p.inputPerMillion() < 0 || p.outputPerMillion() < 0 || p.cacheReadPerMillion() < 0
                || p.cacheWritePerMillion() < 0) {
            throw new StoreException("a price needs a model name and no negative amount: " + p);
        }
        long now = clock.millis();
        db.write(dsl -> dsl.insertInto(PRICES)
                .set(PRICES.MODEL, p.model()).set(PRICES.INPUT_PER_MTOK, p.inputPerMillion())
                .set(PRICES.OUTPUT_PER_MTOK, p.outputPerMillion()).set(PRICES.CACHE_READ_PER_MTOK, p.cacheReadPerMillion())
                .set(PRICES.CACHE_WRITE_PER_MTOK, p.cacheWritePerMillion()).set(PRICES.CURRENCY, p.currency())
                .set(PRICES.UPDATED_AT, now)
                .onConflict(PRICES.MODEL).doUpdate()
                .set(PRICES.INPUT_PER_MTOK, p.inputPerMillion()).set(PRICES.OUTPUT_PER_MTOK, p.outputPerMillion())
                .set(PRICES.CACHE_READ_PER_MTOK, p.cacheReadPerMillion()).set(PRICES.CACHE_WRITE_PER_MTOK, p.cacheWritePerMillion())
                .set(PRICES.CURRENCY, p.currency()).set(PRICES.UPDATED_AT, now)
                .execute());
    }

    /** Fills an empty table with the providers' list prices. */
    public void seedDefaultsIfEmpty() {
        if (db.read(dsl -> dsl.fetchCount(PRICES)) == 0) {
            DEFAULTS.forEach(this::put);
        }
    }
}
