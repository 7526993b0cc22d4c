#!/bin/sh
# Writes PgBouncer's configuration from the environment, then runs it in the foreground.
# The application role's password goes to a file only its owner reads: PgBouncer needs it
# in clear to answer PostgreSQL's SCRAM challenge for each server connection it opens.
set -eu
: "${PGBOUNCER_DB_HOST:?set PGBOUNCER_DB_HOST}"
: "${PGBOUNCER_DB_NAME:?set PGBOUNCER_DB_NAME}"
: "${PGBOUNCER_USER:?set PGBOUNCER_USER, the application role}"
: "${PGBOUNCER_PASSWORD:?set PGBOUNCER_PASSWORD, its password}"
dir="${PGBOUNCER_RUN_DIR:-/run/pgbouncer}"
umask 077
# auth_file quoting: a double quote inside a value is written twice.
quote() { printf '%s' "$1" | sed 's/"/""/g'; }
printf '"%s" "%s"\n' "$(quote "$PGBOUNCER_USER")" "$(quote "$PGBOUNCER_PASSWORD")" > "$dir/userlist.txt"
# The other values go through sed: host and database names only, no '|' or '&'.
for value in "$PGBOUNCER_DB_HOST" "$PGBOUNCER_DB_NAME"; do
    case "$value" in *'|'* | *'&'* | *'\'*) echo "unsupported character in '$value'" >&2; exit 2 ;; esac
done
sed -e "s|@DB_HOST@|$PGBOUNCER_DB_HOST|g" \
    -e "s|@DB_PORT@|${PGBOUNCER_DB_PORT:-5432}|g" \
    -e "s|@DB_NAME@|$PGBOUNCER_DB_NAME|g" \
    -e "s|@LISTEN_PORT@|${PGBOUNCER_LISTEN_PORT:-6432}|g" \
    -e "s|@POOL_SIZE@|${PGBOUNCER_POOL_SIZE:-20}|g" \
    -e "s|@RUN_DIR@|$dir|g" \
    "${PGBOUNCER_TEMPLATE:-/etc/pgbouncer/pgbouncer.ini.template}" > "$dir/pgbouncer.ini"
exec pgbouncer "$dir/pgbouncer.ini"
