-- The files of Bulk Data exports: Binary resources HAPI's export job writes into the
-- exporting hospital's partition. Recorded in the transaction that stores each file, so
-- that every file is removed, history and all, once its export is over and forgotten.
-- A server removing a file holds it until claimed_until, so that servers sharing the
-- database do not remove the same file at once.
CREATE TABLE export_file (
    binary_id     text        PRIMARY KEY,
    partition_id  integer,
    job_id        text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz
);

CREATE INDEX export_file_created_idx ON export_file (created_at);
