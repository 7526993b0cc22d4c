-- A month whose records already sit in the default partition (written while no server
-- had created that month's partition, e.g. by the command line on a fresh database)
-- cannot get a partition of its own: PostgreSQL would have to move those rows, and the
-- trail refuses deletes. Such a month stays in the default partition instead of stopping
-- the server's start.
CREATE OR REPLACE FUNCTION ensure_audit_partition(month_start date) RETURNS void
    LANGUAGE plpgsql
    SET search_path = crosswalk AS
$$
DECLARE
    first_day date := date_trunc('month', month_start)::date;
    next_day  date := (date_trunc('month', month_start) + interval '1 month')::date;
    name      text := format('audit_event_y%sm%s', to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
BEGIN
    IF to_regclass(format('crosswalk.%I', name)) IS NOT NULL THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM audit_event_default WHERE recorded >= first_day AND recorded < next_day) THEN
        RAISE NOTICE 'audit records of % are in the default partition; that month keeps them there', name;
        RETURN;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)',
                   name, first_day, next_day);
    EXECUTE format('CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only()', name);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM PUBLIC, CURRENT_USER', name);
END;
$$;
