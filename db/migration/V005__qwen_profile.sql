-- Agents may use the Qwen Code profile ('qwen'). SQLite cannot alter a CHECK constraint, and rebuilding
-- the agents table would fire the ON DELETE actions of every table that references it. A wider CHECK
-- changes nothing stored (every existing row still passes), which is the case SQLite's documentation
-- allows editing the schema text for (writable_schema). Re-creating the index then changes the schema
-- version, so every connection opened afterwards reads the new constraint.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''opencode'', ''aider''', '''opencode'', ''qwen'', ''aider''')
 WHERE type = 'table' AND name = 'agents';
PRAGMA writable_schema = OFF;
DROP INDEX agents_active_profile;
CREATE INDEX agents_active_profile ON agents (active, profile);
