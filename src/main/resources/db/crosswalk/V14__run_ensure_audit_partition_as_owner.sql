-- The application role is no longer the schema's owner: it may create the coming months'
-- audit partitions only through this function, which runs with the owner's rights (the
-- owner grants the application role EXECUTE at each start), on a fixed search path.
ALTER FUNCTION ensure_audit_partition(date) SECURITY DEFINER SET search_path = crosswalk, pg_temp;
REVOKE EXECUTE ON FUNCTION ensure_audit_partition(date) FROM PUBLIC;
