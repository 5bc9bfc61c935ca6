-- The version of the agent CLI that ran each session (as its stream said it, or as `--version`
-- answered): what changed when an agent's output stops being understood after an update.
ALTER TABLE sessions ADD COLUMN cli_version TEXT;
