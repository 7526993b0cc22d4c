-- The hospitals of the network. Each hospital's FHIR data lives in its own HAPI
-- partition (partition_id, named by the slug), and an Organization resource in that
-- partition mirrors it (organization_id).
CREATE SEQUENCE hospital_partition_id_seq AS integer START WITH 1;

CREATE TABLE hospital (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    slug            text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
    name            text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    partition_id    integer     NOT NULL UNIQUE DEFAULT nextval('hospital_partition_id_seq') CHECK (partition_id > 0),
    organization_id text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE hospital_partition_id_seq OWNED BY hospital.partition_id;

COMMENT ON TABLE hospital IS 'Hospitals registered in the Crosswalk network';
