-- One engine per database. The process whose engine runs on this database holds the lease and
-- renews it every few seconds; another process that finds it held by a live process is refused,
-- so caps (per agent, per profile, per run) hold across processes. A holder that died (its process
-- is gone, or it stopped renewing) leaves the lease free for the next one.
CREATE TABLE engine_lease (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    token         TEXT    NOT NULL,
    owner_pid     BIGINT  NOT NULL,
    owner_host    TEXT    NOT NULL,
    acquired_at   BIGINT  NOT NULL,
    renewed_at    BIGINT  NOT NULL
);
