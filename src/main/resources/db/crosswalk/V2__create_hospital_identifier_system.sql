-- The identifier systems (MRN namespaces) each hospital owns. A system belongs to at
-- most one hospital; systems no hospital owns (national identifiers) are shared.
CREATE TABLE hospital_identifier_system (
    system      text        PRIMARY KEY CHECK (length(system) BETWEEN 1 AND 500 AND system !~ '\s'),
    hospital_id uuid        NOT NULL REFERENCES hospital (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX hospital_identifier_system_hospital_idx ON hospital_identifier_system (hospital_id);
