-- Which caller's partition each stored search (and so each paging link) belongs to.
-- A page is served only to callers of the same partition. Rows older than HAPI's search
-- expiry are removed by the server.
CREATE TABLE search_page_owner (
    search_uuid   text        PRIMARY KEY,
    partition_key text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX search_page_owner_created_idx ON search_page_owner (created_at);
