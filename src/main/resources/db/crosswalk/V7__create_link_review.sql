-- Possible matches scored between the review and auto-link thresholds: not linked, queued
-- for a data steward.
CREATE TABLE link_review (
    id                     bigserial        PRIMARY KEY,
    partition_id           integer          NOT NULL,
    patient_id             text             NOT NULL,
    candidate_partition_id integer          NOT NULL,
    candidate_patient_id   text             NOT NULL,
    candidate_upi          uuid             NOT NULL REFERENCES upi (upi),
    score                  double precision NOT NULL,
    evidence               jsonb            NOT NULL,
    rule_version           text             NOT NULL,
    status                 text             NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'linked', 'rejected')),
    created_at             timestamptz      NOT NULL DEFAULT now(),
    resolved_at            timestamptz,
    resolved_by            text,
    UNIQUE (partition_id, patient_id, candidate_partition_id, candidate_patient_id)
);

CREATE INDEX link_review_open_idx ON link_review (created_at) WHERE status = 'open';
