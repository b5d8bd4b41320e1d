#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# with-postgres.sh COMMAND...: runs COMMAND with a throwaway PostgreSQL 15
# server of its own, listening only on a Unix socket in a temporary folder
# (ANNOLAB_TEST_PG_HOST), stopped and removed at the end. The tests then
# keep each database there instead of in a file (tests/test-db.h).
set -eu
bin=${ANNOLAB_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ]; then
  echo "1..0 # SKIP PostgreSQL 15 is not installed ($bin/initdb; Debian package postgresql-15)"
  exit 0
fi
# initdb and pg_ctl refuse to run as root; the folder is the postgres user's.
as_pg=""
if [ "$(id -u)" -eq 0 ]; then
  as_pg="runuser -u postgres --"
fi
top=$(mktemp -d "${TMPDIR:-/tmp}/annolab-pg-XXXXXX")
chmod 711 "$top"
mkdir "$top/pg"
[ -z "$as_pg" ] || chown postgres "$top/pg"
stop () {
  $as_pg "$bin/pg_ctl" -D "$top/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$top"
}
trap stop EXIT
trap 'exit 1' INT TERM
$as_pg "$bin/initdb" -D "$top/pg/data" -A trust -U postgres -E UTF8 --no-locale -N >/dev/null
# Durability is not what the tests check: without fsync they are quick.
# ANNOLAB_PG_DURABLE=1 (the benchmark) keeps PostgreSQL's defaults.
fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${ANNOLAB_PG_DURABLE:-0}" = 1 ] && fast=""
$as_pg "$bin/pg_ctl" -D "$top/pg/data" -l "$top/pg/log" -w \
  -o "-k $top/pg -c listen_addresses='' $fast" start >/dev/null
ANNOLAB_TEST_PG_HOST="$top/pg"
export ANNOLAB_TEST_PG_HOST
status=0
"$@" || status=$?
exit $status
