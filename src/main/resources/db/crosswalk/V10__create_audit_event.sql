-- The audit trail: one row per recorded AuditEvent, append-only, partitioned by month
-- so that retention drops whole partitions. The row's resource column holds the
-- AuditEvent exactly as served; the other columns are what auditors search by.
-- txid orders rows for the hash chain (see audit_seal): a row is sealed only once every
-- transaction that could still add a row before it has ended.
CREATE TABLE audit_event (
    seq        bigint      GENERATED ALWAYS AS IDENTITY,
    id         uuid        NOT NULL,
    recorded   timestamptz NOT NULL,
    txid       xid8        NOT NULL DEFAULT pg_current_xact_id(),
    hospital   text,
    type       text        NOT NULL,
    subtypes   text[]      NOT NULL,
    action     char(1)     NOT NULL CHECK (action IN ('C', 'R', 'U', 'D', 'E')),
    outcome    smallint    NOT NULL CHECK (outcome IN (0, 4, 8, 12)),
    patient    text,
    agents     text[]      NOT NULL,
    entities   text[]      NOT NULL,
    source     text        NOT NULL,
    request_id text,
    resource   text        NOT NULL,
    PRIMARY KEY (id, recorded)
) PARTITION BY RANGE (recorded);

CREATE INDEX audit_event_recorded_idx ON audit_event (recorded);
CREATE INDEX audit_event_patient_idx ON audit_event (patient, recorded) WHERE patient IS NOT NULL;
CREATE INDEX audit_event_agents_idx ON audit_event USING gin (agents);
CREATE INDEX audit_event_entities_idx ON audit_event USING gin (entities);
CREATE INDEX audit_event_request_idx ON audit_event (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX audit_event_chain_order_idx ON audit_event (txid, seq);

CREATE FUNCTION audit_is_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

-- Creates the partition for the month starting at month_start, with the same guards as
-- the parent (a statement on a partition does not fire the parent's triggers). The
-- server calls it at start and daily for the coming months.
CREATE FUNCTION ensure_audit_partition(month_start date) RETURNS void
    LANGUAGE plpgsql
    SET search_path = crosswalk AS
$$
DECLARE
    first_day date := date_trunc('month', month_start)::date;
    name      text := format('audit_event_y%sm%s', to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
BEGIN
    IF to_regclass(format('crosswalk.%I', name)) IS NOT NULL THEN
        RETURN;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)',
                   name, first_day, (first_day + interval '1 month')::date);
    EXECUTE format('CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only()', name);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM PUBLIC, CURRENT_USER', name);
END;
$$;

-- Rows outside every monthly partition land here rather than being lost.
CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event_default
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_event_default FROM PUBLIC, CURRENT_USER;
