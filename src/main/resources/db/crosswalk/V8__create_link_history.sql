-- Every linkage decision, append-only: who or what decided, when, under which rule
-- version, with which score and per-field evidence, and why.
CREATE TABLE link_history (
    id           bigserial        PRIMARY KEY,
    recorded_at  timestamptz      NOT NULL DEFAULT now(),
    actor        text             NOT NULL,
    action       text             NOT NULL,
    partition_id integer          NOT NULL,
    patient_id   text             NOT NULL,
    upi          uuid,
    previous_upi uuid,
    rule_version text,
    score        double precision,
    evidence     jsonb,
    reason       text             NOT NULL
);

CREATE INDEX link_history_record_idx ON link_history (partition_id, patient_id, id);

CREATE FUNCTION link_history_is_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'link_history is append-only';
END;
$$;

CREATE TRIGGER link_history_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON link_history
    FOR EACH STATEMENT EXECUTE FUNCTION link_history_is_append_only();
