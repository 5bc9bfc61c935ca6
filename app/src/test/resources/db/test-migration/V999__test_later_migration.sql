-- A later migration as future versions will write them: add a column with a backfill, and
-- rebuild a table the SQLite way (create, copy, drop, rename). Used only by the upgrade test.
ALTER TABLE agents ADD COLUMN nickname TEXT;
UPDATE agents SET nickname = upper(name);

CREATE TABLE settings_new (
    key         TEXT    NOT NULL PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    note        TEXT
);
INSERT INTO settings_new (key, value, updated_at) SELECT key, value, updated_at FROM settings;
DROP TABLE settings;
ALTER TABLE settings_new RENAME TO settings;
