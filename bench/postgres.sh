#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Lease+submit cycles per second through the real annolab-queue with 50 and
# 200 concurrent workstations (wrk, bench/server-cycle.lua): on SQLite, on
# PostgreSQL 15 with one server, and on PostgreSQL with two servers on the
# one database (the clients split over both, two wrk runs at once, summed).
# Each figure stands next to the bare database's transactions of the same
# cycle for as many users, measured in the same run (bench/sqlite-cycle,
# bench/pg-cycle); the p99 of each run is a row of its own. PostgreSQL is a
# throwaway cluster with its durable defaults, started by
# tests/with-postgres.sh under /var/tmp (a disk).
#
#   bench/postgres.sh [BUILD_DIR]   TASKS=40000 SECONDS_PER_RUN=10 CLIENTS="50 200"
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ANNOLAB_BUILD_ROOT:-$here/build-release}}
if [ -z "${ANNOLAB_TEST_PG_HOST:-}" ]; then
  TMPDIR=${BENCH_TMPDIR:-/var/tmp} ANNOLAB_PG_DURABLE=1 \
    exec "$here/tests/with-postgres.sh" bash "$0" "$build"
fi
tasks=${TASKS:-40000}
secs=${SECONDS_PER_RUN:-10}
counts=${CLIENTS:-50 200}
most=0
for n in $counts; do [ "$n" -gt "$most" ] && most=$n; done
queue=$build/server/annolab-queue
for p in "$queue" "$build/bench/sqlite-cycle" "$build/bench/pg-cycle"; do
  [ -x "$p" ] || { echo "build first: ninja -C $build ($p)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
audio=$here/data/demo/audio/cards-001.wav

tmp=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/annolab-bench-pg-XXXXXX")
pids=()
stop_servers () {
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  pids=()
}
cleanup () {
  stop_servers
  rm -rf "$tmp"
}
trap cleanup EXIT

awk -v n="$tasks" -v audio="$audio" 'BEGIN {
  for (i = 1; i <= n; i++)
    printf "{\"id\":\"b%06d\",\"kind\":\"transcribe\",\"audio\":\"%s\"}\n", i, audio
}' > "$tmp/tasks.jsonl"
"$queue" --db "$tmp/template.db" import "$tmp/tasks.jsonl" --media-root "$here/data/demo" >/dev/null
"$queue" --db "$tmp/template.db" set gold_share 0 >/dev/null
for i in $(seq 1 "$most"); do
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

start_server () { # DB NAME: starts a server, leaves its port in $tmp/NAME.port
  local db=$1 name=$2 port
  "$queue" --db "$db" serve --listen 127.0.0.1:0 --per-address 1000 \
    > "$tmp/$name.out" 2> "$tmp/$name.err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$tmp/$name.out" 2>/dev/null && break
    sleep 0.05
  done
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/$name.out")
  [ -n "$port" ] || { cat "$tmp/$name.err" >&2; exit 1; }
  echo "$port" > "$tmp/$name.port"
}

load () { # PORT CLIENTS TOKENS OUT: one wrk run, its summary lines in OUT
  TOKENS="$3" wrk -t "$2" -c "$2" -d "${secs}s" --timeout 10s \
    -s "$here/bench/server-cycle.lua" "http://127.0.0.1:$1" | grep -P '^\w+\t' > "$4"
}

serve_and_load () { # DB CLIENTS SERVERS: prints "cycles/s p99_ms", all servers summed
  local db=$1 n=$2 servers=$3 i share f loads=()
  share=$((n / servers))
  for i in $(seq 1 "$servers"); do
    start_server "$db" "s$i"
    # Each server gets its own participants: lines (i-1)*share+1 .. i*share.
    sed -n "$(((i - 1) * share + 1)),$((i * share))p" "$tmp/tokens" > "$tmp/s$i.tokens"
  done
  for i in $(seq 1 "$servers"); do
    load "$(cat "$tmp/s$i.port")" "$share" "$tmp/s$i.tokens" "$tmp/s$i.wrk" &
    loads+=($!)
  done
  wait "${loads[@]}" || true
  stop_servers
  for i in $(seq 1 "$servers"); do
    [ -s "$tmp/s$i.wrk" ] || { echo "wrk printed nothing for server $i" >&2; exit 1; }
    f=$(sed -n 's/^failures\t//p' "$tmp/s$i.wrk")
    [ "$f" = 0 ] || echo "   warning: $f failed requests on server $i" >&2
  done
  awk -F'\t' '$1 == "cycles" { c = $2 } $1 == "seconds" { rate += c / $2 }
              $1 == "p99_ms" && $2 > p99 { p99 = $2 }
              END { printf "%.1f %.1f\n", rate, p99 }' "$tmp"/s*.wrk
  rm -f "$tmp"/s*.wrk
}

row () { # NAME CYCLES P99 REFNAME REFVALUE
  printf '%s\t%s\tcycles/s\t%s\t%s\n' "$1" "$2" "$4" "$5"
  printf '%s p99\t%s\tms\t\t\n' "$1" "$3"
}

for n in $counts; do
  bare_sqlite=$("$build/bench/sqlite-cycle" "$(fresh sqlite)" "$secs" "$n" |
                sed -n 's/^cycles_per_second //p')
  echo "== bare SQLite, $n users: $bare_sqlite cycles/s" >&2
  bare_pg=$("$build/bench/pg-cycle" "$(fresh postgres)" "$secs" "$n" |
            sed -n 's/^cycles_per_second //p')
  echo "== bare PostgreSQL, $n users: $bare_pg cycles/s" >&2
  serve_and_load "$(fresh sqlite)" "$n" 1 > "$tmp/rate"
  read -r on_sqlite p99_sqlite < "$tmp/rate"
  echo "== server on SQLite, $n clients: $on_sqlite cycles/s, p99 $p99_sqlite ms" >&2
  serve_and_load "$(fresh postgres)" "$n" 1 > "$tmp/rate"
  read -r on_pg p99_pg < "$tmp/rate"
  echo "== server on PostgreSQL, $n clients: $on_pg cycles/s, p99 $p99_pg ms" >&2
  serve_and_load "$(fresh postgres)" "$n" 2 > "$tmp/rate"
  read -r on_pg2 p99_pg2 < "$tmp/rate"
  echo "== two servers on PostgreSQL, $n clients: $on_pg2 cycles/s, p99 $p99_pg2 ms" >&2

  row "server on SQLite lease+submit, $n clients" "$on_sqlite" "$p99_sqlite" \
    "bare SQLite cycle" "$bare_sqlite"
  row "server on PostgreSQL lease+submit, $n clients" "$on_pg" "$p99_pg" \
    "bare PostgreSQL cycle" "$bare_pg"
  row "two servers on PostgreSQL lease+submit, $n clients" "$on_pg2" "$p99_pg2" \
    "bare PostgreSQL cycle" "$bare_pg"
  printf 'bare PostgreSQL lease+submit transactions, %d users\t%s\tcycles/s\tbare SQLite cycle\t%s\n' \
    "$n" "$bare_pg" "$bare_sqlite"
done
