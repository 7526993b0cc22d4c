-- The hash chain over the audit trail. The sealer appends one row per audit_event row,
-- in (txid, seq) order, once that row can no longer be preceded by another:
-- hash = H(previous_hash || position || event_digest), H being SHA-256 or, with a
-- configured key, HMAC-SHA-256. The event digest covers every column of the event.
CREATE TABLE audit_seal (
    position       bigint      PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    event_recorded timestamptz NOT NULL,
    event_txid     xid8        NOT NULL,
    event_seq      bigint      NOT NULL,
    event_digest   bytea       NOT NULL CHECK (length(event_digest) = 32),
    previous_hash  bytea       NOT NULL CHECK (length(previous_hash) = 32),
    hash           bytea       NOT NULL CHECK (length(hash) = 32),
    algorithm      text        NOT NULL,
    sealed_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_seal_recorded_idx ON audit_seal (event_recorded);

CREATE TRIGGER audit_seal_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_seal FROM PUBLIC, CURRENT_USER;
