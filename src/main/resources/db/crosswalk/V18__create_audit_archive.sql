-- Months of the audit trail moved out of the database by `java -jar crosswalk.jar audit
-- archive`: each row says which partition went, the span of recorded times it held, how
-- many records, and the file (with its SHA-256) they went to, under a MAC made like the
-- chain's links (HMAC-SHA-256 with the chain's key when one is set), so that a row added
-- or changed by hand does not pass for an archive. Their seal rows stay in audit_seal, so
-- the chain stays whole: $verify checks the links of archived records from the digests
-- sealed with them, and only for a month whose row's MAC holds and whose count matches.
-- seals_sha256 pins the month's seals (position and hash, in order), so that no seal is
-- moved into or out of it unnoticed. Without crosswalk.audit.hmac-key the MAC is plain
-- SHA-256, which anybody with database access can remake, as they can the chain itself.
-- The file itself is the operator's to keep and check against file_sha256.
CREATE TABLE audit_archive (
    month          date        PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
    partition_name text        NOT NULL,
    recorded_from  timestamptz NOT NULL,
    recorded_to    timestamptz NOT NULL CHECK (recorded_to > recorded_from),
    events         bigint      NOT NULL CHECK (events >= 0),
    first_position bigint,
    last_position  bigint,
    file_name      text        NOT NULL,
    file_sha256    text        NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    seals_sha256   text        NOT NULL CHECK (seals_sha256 ~ '^[0-9a-f]{64}$'),
    algorithm      text        NOT NULL,
    mac            text        NOT NULL CHECK (mac ~ '^[0-9a-f]{64}$'),
    archived_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER audit_archive_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_archive
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_archive FROM PUBLIC, CURRENT_USER;
