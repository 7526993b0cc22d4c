-- The jobs of the FHIR $import operation: what a hospital's client asked to import, who
-- asked, and how far it got. Any server sharing the database may run a queued job; the
-- one that claims it holds it until claimed_until and keeps extending that while it
-- works, so a job whose server died is claimed again (the import is idempotent).
CREATE TABLE import_job (
    id               uuid        PRIMARY KEY,
    hospital         text        NOT NULL,
    partition_id     integer     NOT NULL,
    owner            text        NOT NULL,
    source           text        NOT NULL,
    inputs           jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'queued'
                                 CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    cancel_requested boolean     NOT NULL DEFAULT false,
    progress         text,
    report           jsonb,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    claimed_by       text,
    claimed_until    timestamptz,
    CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);

CREATE INDEX import_job_waiting_idx ON import_job (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX import_job_owner_idx ON import_job (owner) WHERE status IN ('queued', 'running');
CREATE INDEX import_job_finished_idx ON import_job (finished_at);
