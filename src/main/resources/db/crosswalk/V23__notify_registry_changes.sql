-- Each change to an API key or a hospital notifies every server listening on
-- crosswalk_registry when it commits, whoever makes it (a server, the command line, an
-- operator's SQL), so that what servers keep in memory of keys and hospitals
-- (hospital.RegistryCache) is read again at once. One notification per statement, with
-- the table's name; a key's last use and label change nothing a request reads, and a new
-- row nothing a server kept. A column added later that a request reads must be added to
-- the list below.
CREATE FUNCTION registry_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('crosswalk_registry', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_key_registry_changed
    AFTER UPDATE OF key_id, hospital_id, role, scopes, secret_hash, hash_algorithm, revoked_at, expires_at
        OR DELETE OR TRUNCATE ON api_key
    FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();

CREATE TRIGGER hospital_registry_changed
    AFTER UPDATE OR DELETE OR TRUNCATE ON hospital
    FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
