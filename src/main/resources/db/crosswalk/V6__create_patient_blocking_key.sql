-- The blocking keys each linked record is filed under; candidates for a new record are
-- the records sharing one of its keys.
CREATE TABLE patient_blocking_key (
    key          text    NOT NULL,
    partition_id integer NOT NULL,
    patient_id   text    NOT NULL,
    PRIMARY KEY (key, partition_id, patient_id),
    FOREIGN KEY (partition_id, patient_id) REFERENCES patient_link (partition_id, patient_id) ON DELETE CASCADE
);

CREATE INDEX patient_blocking_key_record_idx ON patient_blocking_key (partition_id, patient_id);
