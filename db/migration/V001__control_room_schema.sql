-- Control Room schema, version 1: the whole domain of PRODUCT.md.
-- Timestamps are epoch milliseconds (BIGINT) set by the application.
-- JSON columns hold UTF-8 JSON text; the application owns their shape.

CREATE TABLE settings (
    key         TEXT    NOT NULL PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE teams (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL
);

CREATE TABLE agents (
    id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    team_id            INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    name               TEXT    NOT NULL UNIQUE,
    profile            TEXT    NOT NULL CHECK (profile IN ('claude', 'codex', 'gemini', 'opencode', 'aider', 'ollama', 'shell', 'custom')),
    model              TEXT,
    command_template   TEXT,
    max_concurrent     INTEGER NOT NULL DEFAULT 1 CHECK (max_concurrent >= 1),
    max_tokens_per_task BIGINT,
    timeout_ms         BIGINT,
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    status             TEXT    NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'busy', 'waiting', 'stuck', 'rate_limited', 'offline')),
    hired_at           BIGINT  NOT NULL,
    fired_at           BIGINT,
    last_active_at     BIGINT,
    tasks_succeeded    INTEGER NOT NULL DEFAULT 0,
    tasks_failed       INTEGER NOT NULL DEFAULT 0,
    total_reward       INTEGER NOT NULL DEFAULT 0,
    total_tokens       BIGINT  NOT NULL DEFAULT 0,
    total_duration_ms  BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
CREATE INDEX agents_active_profile ON agents (active, profile);

CREATE TABLE repositories (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL,
    path           TEXT    NOT NULL UNIQUE,
    default_branch TEXT,
    created_at     BIGINT  NOT NULL
);

-- A plan file imported into a task list.
CREATE TABLE plans (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    source_path   TEXT,
    format        TEXT    NOT NULL CHECK (format IN ('yaml', 'json', 'ui', 'api')),
    source_text   TEXT,
    concurrency   INTEGER CHECK (concurrency IS NULL OR concurrency >= 1),
    wave_mode     TEXT    NOT NULL DEFAULT 'dataflow' CHECK (wave_mode IN ('dataflow', 'barrier')),
    imported_at   BIGINT  NOT NULL
);

-- The definition of one unit of work; its state in a given run lives in run_tasks.
CREATE TABLE tasks (
    id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    plan_id            INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    key                TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    prompt             TEXT,
    command            TEXT,
    priority           INTEGER NOT NULL DEFAULT 0,
    category           TEXT,
    critical           INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0, 1)),
    preferred_agent_id INTEGER REFERENCES agents (id) ON DELETE SET NULL,
    preferred_profile  TEXT,
    pinned             INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    repository_id      INTEGER REFERENCES repositories (id) ON DELETE SET NULL,
    repo_path          TEXT,
    working_dir        TEXT,
    base_branch        TEXT,
    use_worktree       INTEGER NOT NULL DEFAULT 0 CHECK (use_worktree IN (0, 1)),
    env_json           TEXT    NOT NULL DEFAULT '{}',
    setup_json         TEXT    NOT NULL DEFAULT '[]',
    copy_files_json    TEXT    NOT NULL DEFAULT '[]',
    verify_json        TEXT    NOT NULL DEFAULT '[]',
    max_attempts       INTEGER NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
    timeout_ms         BIGINT,
    position           INTEGER NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    UNIQUE (plan_id, key)
);
CREATE INDEX tasks_plan ON tasks (plan_id, position);

CREATE TABLE task_dependencies (
    task_id       INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    depends_on_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, depends_on_id),
    CHECK (task_id <> depends_on_id)
);
CREATE INDEX task_dependencies_reverse ON task_dependencies (depends_on_id);

-- One execution of a task list. The id is created once, by whatever starts the run.
CREATE TABLE runs (
    id            TEXT    NOT NULL PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'stopping', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    wave_mode     TEXT    NOT NULL CHECK (wave_mode IN ('dataflow', 'barrier')),
    concurrency   INTEGER NOT NULL CHECK (concurrency >= 1),
    started_by    TEXT    NOT NULL CHECK (started_by IN ('ui', 'cli', 'tray', 'api', 'schedule')),
    pause_reason  TEXT,
    owner_pid     BIGINT,
    created_at    BIGINT  NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    heartbeat_at  BIGINT
);
CREATE INDEX runs_status ON runs (status, created_at);

CREATE TABLE waves (
    run_id      TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    wave        INTEGER NOT NULL CHECK (wave >= 0),
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    task_count  INTEGER NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT,
    PRIMARY KEY (run_id, wave)
);

-- The state of a task inside one run.
CREATE TABLE run_tasks (
    run_id         TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    task_id        INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    wave           INTEGER NOT NULL CHECK (wave >= 0),
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'ready', 'running', 'retry_wait', 'succeeded', 'failed', 'blocked', 'skipped', 'cancelled', 'needs_decision', 'parked')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    agent_id       INTEGER REFERENCES agents (id) ON DELETE SET NULL,
    status_reason  TEXT,
    ready_at       BIGINT,
    next_attempt_at BIGINT,
    started_at     BIGINT,
    finished_at    BIGINT,
    worktree_path  TEXT,
    branch         TEXT,
    updated_at     BIGINT  NOT NULL,
    PRIMARY KEY (run_id, task_id)
);
CREATE INDEX run_tasks_status ON run_tasks (run_id, status);
CREATE INDEX run_tasks_task ON run_tasks (task_id);

-- One agent process working one task (one PTY).
CREATE TABLE sessions (
    id                 TEXT    NOT NULL PRIMARY KEY,
    run_id             TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    task_id            INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    agent_id           INTEGER REFERENCES agents (id) ON DELETE SET NULL,
    attempt            INTEGER NOT NULL CHECK (attempt >= 1),
    status             TEXT    NOT NULL CHECK (status IN ('starting', 'running', 'exited', 'killed', 'interrupted', 'failed_to_start')),
    pid                BIGINT,
    process_start_time BIGINT,
    working_dir        TEXT    NOT NULL,
    branch             TEXT,
    command_line       TEXT    NOT NULL,
    native_session_id  TEXT,
    exit_code          INTEGER,
    end_reason         TEXT,
    columns            INTEGER NOT NULL DEFAULT 120,
    rows               INTEGER NOT NULL DEFAULT 40,
    output_bytes       BIGINT  NOT NULL DEFAULT 0,
    output_lines       BIGINT  NOT NULL DEFAULT 0,
    last_output_at     BIGINT,
    started_at         BIGINT  NOT NULL,
    ended_at           BIGINT
);
CREATE INDEX sessions_run ON sessions (run_id, task_id);
CREATE INDEX sessions_agent ON sessions (agent_id, started_at);
CREATE INDEX sessions_status ON sessions (status);

-- One attempt inside a session's lifecycle: prompt sent, output, verification.
CREATE TABLE iterations (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id          TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    number              INTEGER NOT NULL CHECK (number >= 1),
    prompt              TEXT,
    status              TEXT    NOT NULL CHECK (status IN ('running', 'passed', 'failed', 'error', 'interrupted')),
    failure_summary     TEXT,
    failure_fingerprint TEXT,
    diff_hash           TEXT,
    output_start_offset BIGINT  NOT NULL DEFAULT 0,
    output_end_offset   BIGINT,
    started_at          BIGINT  NOT NULL,
    ended_at            BIGINT,
    UNIQUE (session_id, number)
);

CREATE TABLE qa_results (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    iteration_id INTEGER NOT NULL REFERENCES iterations (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('build', 'test', 'lint', 'custom')),
    command      TEXT    NOT NULL,
    exit_code    INTEGER,
    passed       INTEGER NOT NULL CHECK (passed IN (0, 1)),
    output       TEXT    NOT NULL DEFAULT '',
    duration_ms  BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX qa_results_iteration ON qa_results (iteration_id);

-- Append-only audit trail and the feed of the UI and API.
CREATE TABLE events (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at          BIGINT  NOT NULL,
    type        TEXT    NOT NULL,
    severity    TEXT    NOT NULL CHECK (severity IN ('debug', 'info', 'warning', 'error', 'critical')),
    run_id      TEXT,
    task_id     INTEGER,
    agent_id    INTEGER,
    session_id  TEXT,
    message     TEXT    NOT NULL DEFAULT '',
    payload     TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX events_run ON events (run_id, id);
CREATE INDEX events_session ON events (session_id, id);
CREATE INDEX events_type ON events (type, id);
CREATE INDEX events_agent ON events (agent_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Raw PTY output in chunks, addressable by byte offset (replay with colours).
CREATE TABLE session_output_chunks (
    session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    byte_offset BIGINT  NOT NULL,
    data        BLOB    NOT NULL,
    at          BIGINT  NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE INDEX session_output_chunks_offset ON session_output_chunks (session_id, byte_offset);

-- Clean text lines (ANSI stripped, secrets redacted), for search, stored in blocks of consecutive
-- lines joined by a line feed: a chatty agent prints millions of lines, and one row per line would
-- make storing them the slowest part of the application.
CREATE TABLE session_output_lines (
    session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    first_line  INTEGER NOT NULL,
    line_count  INTEGER NOT NULL CHECK (line_count >= 1),
    byte_offset BIGINT  NOT NULL,
    text        TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    PRIMARY KEY (session_id, first_line)
);

CREATE TABLE token_usage (
    id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id         TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    iteration_id       INTEGER REFERENCES iterations (id) ON DELETE SET NULL,
    run_id             TEXT    NOT NULL,
    task_id            INTEGER NOT NULL,
    agent_id           INTEGER,
    model              TEXT,
    input_tokens       BIGINT  NOT NULL DEFAULT 0,
    output_tokens      BIGINT  NOT NULL DEFAULT 0,
    cache_read_tokens  BIGINT  NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT  NOT NULL DEFAULT 0,
    at                 BIGINT  NOT NULL
);
CREATE INDEX token_usage_run ON token_usage (run_id, task_id);
CREATE INDEX token_usage_agent ON token_usage (agent_id, at);

-- Editable price table: money is always an estimate derived from tokens.
CREATE TABLE prices (
    model                  TEXT   NOT NULL PRIMARY KEY,
    input_per_mtok         DOUBLE NOT NULL,
    output_per_mtok        DOUBLE NOT NULL,
    cache_read_per_mtok    DOUBLE NOT NULL DEFAULT 0,
    cache_write_per_mtok   DOUBLE NOT NULL DEFAULT 0,
    currency               TEXT   NOT NULL DEFAULT 'USD',
    updated_at             BIGINT NOT NULL
);

CREATE TABLE rewards (
    id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    agent_id  INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    run_id    TEXT,
    task_id   INTEGER,
    points    INTEGER NOT NULL,
    reason    TEXT    NOT NULL,
    at        BIGINT  NOT NULL
);
CREATE INDEX rewards_agent ON rewards (agent_id, at);

CREATE TABLE metrics (
    id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name      TEXT    NOT NULL,
    agent_id  INTEGER REFERENCES agents (id) ON DELETE CASCADE,
    run_id    TEXT,
    value     DOUBLE  NOT NULL,
    tags      TEXT    NOT NULL DEFAULT '{}',
    at        BIGINT  NOT NULL
);
CREATE INDEX metrics_name ON metrics (name, at);

-- Recurring shapes seen in output (error fingerprints, failure streaks, ...).
CREATE TABLE patterns (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    description TEXT    NOT NULL,
    occurrences INTEGER NOT NULL DEFAULT 1,
    first_seen  BIGINT  NOT NULL,
    last_seen   BIGINT  NOT NULL,
    sample      TEXT    NOT NULL DEFAULT '{}',
    UNIQUE (kind, fingerprint)
);

CREATE TABLE experiments (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    hypothesis  TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('running', 'decided')),
    decision    TEXT    CHECK (decision IS NULL OR decision IN ('keep', 'kill', 'double_down')),
    evidence    TEXT    NOT NULL DEFAULT '{}',
    started_at  BIGINT  NOT NULL,
    decided_at  BIGINT
);

CREATE TABLE task_templates (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    title       TEXT    NOT NULL,
    prompt      TEXT,
    command     TEXT,
    profile     TEXT,
    created_at  BIGINT  NOT NULL
);

-- Repeated user tasks that a human may approve into a template or a dedicated agent.
CREATE TABLE automation_candidates (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    normalized_text TEXT    NOT NULL UNIQUE,
    sample_title    TEXT    NOT NULL,
    occurrences     INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('suggested', 'approved', 'rejected')),
    approved_as     TEXT    CHECK (approved_as IS NULL OR approved_as IN ('template', 'agent')),
    template_id     INTEGER REFERENCES task_templates (id) ON DELETE SET NULL,
    agent_id        INTEGER REFERENCES agents (id) ON DELETE SET NULL,
    created_at      BIGINT  NOT NULL,
    decided_at      BIGINT
);

-- Commands a human gave through any door (UI, CLI, tray, API): the input of the insights.
CREATE TABLE user_commands (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL CHECK (source IN ('ui', 'cli', 'tray', 'api')),
    command     TEXT    NOT NULL,
    arguments   TEXT    NOT NULL DEFAULT '{}',
    run_id      TEXT,
    task_id     INTEGER,
    outcome     TEXT,
    at          BIGINT  NOT NULL
);
CREATE INDEX user_commands_at ON user_commands (at);
