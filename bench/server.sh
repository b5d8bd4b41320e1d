#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Lease+submit cycles per second through the real annolab-queue, with 50
# and with 200 concurrent workstations (wrk, one participant per
# connection), and request latency p50/p99; next to it, the bare SQLite
# transactions of the same cycle on the same machine (bench/sqlite-cycle).
#
#   bench/server.sh [BUILD_DIR]   TASKS=60000 SECONDS_PER_RUN=10 THINKS="1000 200" by default
#   (20,000 tasks ran dry in 10 s at 200 clients)
#
# All load goes to 127.0.0.1. The databases live in a folder under
# /var/tmp (a disk, like the lab's), not on a RAM-backed /tmp.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ANNOLAB_BUILD_ROOT:-$here/build-release}}
tasks=${TASKS:-60000}
secs=${SECONDS_PER_RUN:-10}
queue=$build/server/annolab-queue
cycle=$build/bench/sqlite-cycle
audio=$here/data/demo/audio/cards-001.wav
[ -x "$queue" ] && [ -x "$cycle" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

tmp=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/annolab-bench-XXXXXX")
pid=
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# One database with the tasks and 200 participants, copied fresh for each run.
awk -v n="$tasks" -v audio="$audio" 'BEGIN {
  for (i = 1; i <= n; i++)
    printf "{\"id\":\"b%06d\",\"kind\":\"transcribe\",\"audio\":\"%s\"}\n", i, audio
}' > "$tmp/tasks.jsonl"
"$queue" --db "$tmp/template.db" import "$tmp/tasks.jsonl" --media-root "$here/data/demo" >/dev/null
"$queue" --db "$tmp/template.db" set gold_share 0 >/dev/null
for i in $(seq 1 200); do
  "$queue" --db "$tmp/template.db" user add "p$i" --role participant --group bench
done > "$tmp/tokens"

fresh_db () {
  rm -f "$tmp/run.db" "$tmp/run.db-wal" "$tmp/run.db-shm"
  cp "$tmp/template.db" "$tmp/run.db"
}

serve_and_load () { # clients [think_ms]
  local clients=$1 think=${2:-0} port out
  fresh_db
  head -n "$clients" "$tmp/tokens" > "$tmp/tokens-$clients"
  # Every simulated workstation comes from 127.0.0.1.
  "$queue" --db "$tmp/run.db" serve --listen 127.0.0.1:0 --per-address 1000 > "$tmp/serve.out" 2> "$tmp/serve.err" &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$tmp/serve.out" 2>/dev/null && break
    sleep 0.05
  done
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/serve.out")
  [ -n "$port" ] || { cat "$tmp/serve.err" >&2; exit 1; }
  out=$(THINK_MS=$think TOKENS="$tmp/tokens-$clients" wrk -t "$clients" -c "$clients" -d "${secs}s" --timeout 10s \
          -s "$here/bench/server-cycle.lua" "http://127.0.0.1:$port" | grep -P '^\w+\t')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$out" > "$tmp/wrk-$clients-$think"
  echo "== $clients clients, $think ms a task:" $(tr '\t\n' '= ' < "$tmp/wrk-$clients-$think") >&2
}

get () { sed -n "s/^$2\t//p" "$tmp/wrk-$1-${3:-0}"; }

# The reference first, on its own fresh copy.
fresh_db
"$cycle" "$tmp/run.db" "$secs" 200 > "$tmp/bare"
bare=$(sed -n 's/^cycles_per_second //p' "$tmp/bare")
bare_p99=$(sed -n 's/^transaction_p99_ms //p' "$tmp/bare")
echo "== bare SQLite: $bare cycles/s, one transaction p99 $bare_p99 ms" >&2

for clients in 50 200; do
  serve_and_load "$clients"
  c=$(get "$clients" cycles) s=$(get "$clients" seconds)
  [ "$(get "$clients" empty)" = 0 ] || echo "   warning: the task pool ran dry; raise TASKS" >&2
  [ "$(get "$clients" failures)" = 0 ] || echo "   warning: $(get "$clients" failures) failed requests" >&2
  rate=$(awk -v c="$c" -v s="$s" 'BEGIN { printf "%.1f", c / s }')
  printf 'server lease+submit, %d clients\t%s\tcycles/s\tbare SQLite cycle\t%s\n' "$clients" "$rate" "$bare"
  printf 'server request p50, %d clients\t%s\tms\t\t\n' "$clients" "$(get "$clients" p50_ms)"
  printf 'server request p99, %d clients\t%s\tms\t\t\n' "$clients" "$(get "$clients" p99_ms)"
done
# At full speed 200 clients queue behind each other: with no pause, each
# waits for the other 199 (Little's law: p50 = clients / requests per
# second). Here each client takes THINK ms over a task (1,000 ms: five
# times the pace of a quick person; 200 ms: near the server's limit), and
# the latency is what one request sees.
for think in ${THINKS:-1000 200}; do
  serve_and_load 200 "$think"
  c=$(get 200 cycles "$think") s=$(get 200 seconds "$think")
  [ "$(get 200 failures "$think")" = 0 ] || echo "   warning: $(get 200 failures "$think") failed requests" >&2
  printf 'server lease+submit, 200 clients at %d ms a task\t%s\tcycles/s\t\t\n' "$think" \
    "$(awk -v c="$c" -v s="$s" 'BEGIN { printf "%.1f", c / s }')"
  printf 'server request p99, 200 clients at %d ms a task\t%s\tms\tbare SQLite transaction p99\t%s\n' \
    "$think" "$(get 200 p99_ms "$think")" "$bare_p99"
done
printf 'bare SQLite lease+submit transactions\t%s\tcycles/s\t\t\n' "$bare"
