-- Months of the audit trail moved out of the database by `java -jar crosswalk.jar audit
-- archive`: each row says which partition went, the span of recorded times it held, how
-- many records, and the file (with its SHA-256) they went to. Their seal rows stay in
-- audit_seal, so the chain stays whole: $verify checks the links of archived records
-- from the digests sealed with them, and the file against this row.
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
    archived_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER audit_archive_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_archive
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_archive FROM PUBLIC, CURRENT_USER;
