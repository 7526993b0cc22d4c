#!/bin/sh
# Runs once, when PostgreSQL first initialises its volume: the role Crosswalk connects as.
# It owns nothing; at each start Crosswalk's owner role (POSTGRES_USER) grants it what the
# server needs, and only SELECT and INSERT on the audit trail.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
	-v password="$CROSSWALK_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE crosswalk_app LOGIN PASSWORD :'password';
SQL
