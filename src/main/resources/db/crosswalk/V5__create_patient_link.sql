-- Universal patient identifiers: one per person. Each hospital Patient record belongs to
-- exactly one UPI (patient_link), decided in the transaction that writes the record.
CREATE TABLE upi (
    upi        uuid        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE patient_link (
    partition_id  integer          NOT NULL,
    patient_id    text             NOT NULL,
    hospital_slug text             NOT NULL,
    upi           uuid             NOT NULL REFERENCES upi (upi),
    method        text             NOT NULL CHECK (method IN ('new', 'deterministic', 'probabilistic', 'manual')),
    rule_version  text             NOT NULL,
    score         double precision,
    demographics  jsonb            NOT NULL,
    updated_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (partition_id, patient_id)
);

CREATE INDEX patient_link_upi_idx ON patient_link (upi);
