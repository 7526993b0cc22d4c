-- HAPI's clustered jobs (Batch2 maintenance, stale-search deletion, reindexing, ...) run
-- on every server's scheduler; each firing first claims the job here for one interval,
-- so that servers sharing the database run each job once per interval between them.
CREATE TABLE scheduled_job_lease (
    job    text        PRIMARY KEY,
    node   text        NOT NULL,
    until  timestamptz NOT NULL,
    runs   bigint      NOT NULL DEFAULT 0
);
