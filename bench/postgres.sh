#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Lease+submit cycles per second through the real annolab-queue with 50
# concurrent workstations (wrk, bench/server-cycle.lua), once on SQLite and
# once on PostgreSQL 15, each next to the bare database's transactions of
# the same cycle measured in the same run (bench/sqlite-cycle,
# bench/pg-cycle). PostgreSQL is a throwaway cluster with its durable
# defaults, started by tests/with-postgres.sh under /var/tmp (a disk).
#
#   bench/postgres.sh [BUILD_DIR]   TASKS=10000 SECONDS_PER_RUN=10 by default
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ANNOLAB_BUILD_ROOT:-$here/build-release}}
if [ -z "${ANNOLAB_TEST_PG_HOST:-}" ]; then
  TMPDIR=${BENCH_TMPDIR:-/var/tmp} ANNOLAB_PG_DURABLE=1 \
    exec "$here/tests/with-postgres.sh" bash "$0" "$build"
fi
tasks=${TASKS:-10000}
secs=${SECONDS_PER_RUN:-10}
clients=50
queue=$build/server/annolab-queue
for p in "$queue" "$build/bench/sqlite-cycle" "$build/bench/pg-cycle"; do
  [ -x "$p" ] || { echo "build first: ninja -C $build ($p)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
audio=$here/data/demo/audio/cards-001.wav

tmp=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/annolab-bench-pg-XXXXXX")
pid=
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

awk -v n="$tasks" -v audio="$audio" 'BEGIN {
  for (i = 1; i <= n; i++)
    printf "{\"id\":\"b%06d\",\"kind\":\"transcribe\",\"audio\":\"%s\"}\n", i, audio
}' > "$tmp/tasks.jsonl"
"$queue" --db "$tmp/template.db" import "$tmp/tasks.jsonl" --media-root "$here/data/demo" >/dev/null
"$queue" --db "$tmp/template.db" set gold_share 0 >/dev/null
for i in $(seq 1 "$clients"); do
  "$queue" --db "$tmp/template.db" user add "p$i" --role participant --group bench
done > "$tmp/tokens"

fresh () { # sqlite|postgres: a fresh copy of the template; prints its --db
  local run
  run=run$(date +%s%N)
  if [ "$1" = sqlite ]; then
    cp "$tmp/template.db" "$tmp/$run.db"
    echo "$tmp/$run.db"
  else
    psql -X -q "postgresql:///postgres?host=$ANNOLAB_TEST_PG_HOST&user=postgres" \
      -c "CREATE DATABASE $run" >/dev/null
    "$queue" copy "$tmp/template.db" \
      "postgresql:///$run?host=$ANNOLAB_TEST_PG_HOST&user=postgres" >/dev/null
    echo "postgresql:///$run?host=$ANNOLAB_TEST_PG_HOST&user=postgres"
  fi
}

serve_and_load () { # DB: prints cycles per second
  local db=$1 port out
  "$queue" --db "$db" serve --listen 127.0.0.1:0 --per-address 1000 > "$tmp/serve.out" 2> "$tmp/serve.err" &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$tmp/serve.out" 2>/dev/null && break
    sleep 0.05
  done
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/serve.out")
  [ -n "$port" ] || { cat "$tmp/serve.err" >&2; exit 1; }
  out=$(TOKENS="$tmp/tokens" wrk -t "$clients" -c "$clients" -d "${secs}s" --timeout 10s \
          -s "$here/bench/server-cycle.lua" "http://127.0.0.1:$port" | grep -P '^\w+\t')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  [ "$(sed -n 's/^failures\t//p' <<<"$out")" = 0 ] ||
    echo "   warning: $(sed -n 's/^failures\t//p' <<<"$out") failed requests" >&2
  awk -F'\t' '$1 == "cycles" { c = $2 } $1 == "seconds" { s = $2 } END { printf "%.1f", c / s }' <<<"$out"
}

bare_sqlite=$("$build/bench/sqlite-cycle" "$(fresh sqlite)" "$secs" "$clients" |
              sed -n 's/^cycles_per_second //p')
echo "== bare SQLite: $bare_sqlite cycles/s" >&2
bare_pg=$("$build/bench/pg-cycle" "$(fresh postgres)" "$secs" "$clients" |
          sed -n 's/^cycles_per_second //p')
echo "== bare PostgreSQL: $bare_pg cycles/s" >&2
on_sqlite=$(serve_and_load "$(fresh sqlite)")
echo "== server on SQLite, $clients clients: $on_sqlite cycles/s" >&2
on_pg=$(serve_and_load "$(fresh postgres)")
echo "== server on PostgreSQL, $clients clients: $on_pg cycles/s" >&2

printf 'server on SQLite lease+submit, %d clients\t%s\tcycles/s\tbare SQLite cycle\t%s\n' \
  "$clients" "$on_sqlite" "$bare_sqlite"
printf 'server on PostgreSQL lease+submit, %d clients\t%s\tcycles/s\tbare PostgreSQL cycle\t%s\n' \
  "$clients" "$on_pg" "$bare_pg"
printf 'bare PostgreSQL lease+submit transactions\t%s\tcycles/s\tbare SQLite cycle\t%s\n' \
  "$bare_pg" "$bare_sqlite"
