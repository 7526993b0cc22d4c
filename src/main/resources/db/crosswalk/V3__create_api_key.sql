-- API keys of system clients. Only a hash of the secret is kept, with its algorithm;
-- the key itself is shown once, when issued. Keys of clinical roles act for a hospital;
-- auditor and admin keys act for the network.
CREATE TABLE api_key (
    key_id         text        PRIMARY KEY CHECK (key_id ~ '^[a-z0-9]{16}$'),
    hospital_id    uuid        REFERENCES hospital (id) ON DELETE CASCADE,
    role           text        NOT NULL CHECK (role IN ('hospital-system', 'clinician', 'auditor', 'admin')),
    scopes         text        NOT NULL DEFAULT '',
    label          text        NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    secret_hash    text        NOT NULL,
    hash_algorithm text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz,
    revoked_at     timestamptz,
    CHECK ((role IN ('hospital-system', 'clinician')) = (hospital_id IS NOT NULL))
);

CREATE INDEX api_key_hospital_idx ON api_key (hospital_id);
