#!/bin/sh
# PostgreSQL stopped and started again under two running servers, run by
# with-postgres.sh. While it is gone, every request gets 503
# "database_unavailable" (never "that token is not valid", which a
# workstation takes as final) and the servers wait without using the CPU.
# Once it is back, work goes on without restarting them: a result sent
# during the outage is taken when sent again, and the coach on one server
# sees a participant on the other again. TAP output.
set -u
queue=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=${ANNOLAB_SOURCE_ROOT:-$(dirname "$0")/..}
demo=$(cd "$root/data/demo" && pwd)
host=$ANNOLAB_TEST_PG_HOST
bin=${ANNOLAB_PG_BIN:-/usr/lib/postgresql/15/bin}
as_pg=""
[ "$(id -u)" -eq 0 ] && as_pg="runuser -u postgres --"
work=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
n=0

ok () {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

pg_stop () {
  $as_pg "$bin/pg_ctl" -D "$host/data" -m immediate -w stop >/dev/null
}

# As tests/with-postgres.sh starts it with ANNOLAB_PG_DURABLE=1 (see
# meson.build): without fsync, an immediate stop loses what was committed.
pg_start () {
  $as_pg "$bin/pg_ctl" -D "$host/data" -l "$host/log" -w -o "-k $host -c listen_addresses=''" \
    start >/dev/null
}

serve () { # name: sets pid_NAME and url_NAME
  "$queue" --db "$db" serve --listen 127.0.0.1:0 > "$work/$1.out" 2> "$work/$1.err" &
  pids="$pids $!"
  eval "pid_$1=$!"
  for _ in $(seq 50); do grep -q listening "$work/$1.out" && break; sleep 0.1; done
  eval "url_$1=$(sed -n 's/^listening on //p' "$work/$1.out")"
}

# METHOD URL TOKEN [BODY]: prints the status, keeps the body in $work/body.
call () {
  curl -s -o "$work/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' ${4:+-d "$4"} "$2"
}

cpu () { # pid: user + system ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

state_of () { # name, from the participants list in $work/body
  python3 -c 'import json, sys
for p in json.load(open(sys.argv[1]))["participants"]:
    if p["name"] == sys.argv[2]: print(p["state"])' "$work/body" "$1"
}

echo "1..8"

psql -X -q "postgresql:///postgres?host=$host&user=postgres" -c "CREATE DATABASE lab"
db="postgresql:///lab?host=$host&user=postgres"
"$queue" --db "$db" import "$demo/tasks.jsonl" --media-root "$demo" >/dev/null 2>&1
"$queue" --db "$db" set gold_share 0 >/dev/null
ann=$("$queue" --db "$db" user add ann --role participant --group a)
kim=$("$queue" --db "$db" user add kim --role coach --group a)
serve a
serve b
a=$url_a
b=$url_b

[ "$(call POST "$b/api/v1/lease" "$ann" '{}')" = 200 ]
lease=$(python3 -c 'import json; print(json.load(open("'"$work/body"'"))["lease"]["id"])')
result="{\"lease_id\":\"$lease\",\"idempotency_key\":\"k1\",\"result\":{\"boxes\":[]},\"lead_time_ms\":900}"

pg_stop
status=$(call POST "$a/api/v1/lease" "$ann" '{}')
[ "$status" = 503 ] && grep -q '"database_unavailable"' "$work/body"
ok $? "a lease while PostgreSQL is gone: 503 database_unavailable (got $status: $(head -c 160 "$work/body"))"
status=$(call POST "$b/api/v1/results" "$ann" "$result")
[ "$status" = 503 ] && grep -q '"database_unavailable"' "$work/body"
ok $? "a result while PostgreSQL is gone: 503, to be sent again (got $status)"
status=$(call GET "$a/api/v1/health" "")
[ "$status" = 503 ] && grep -q '"database_unavailable"' "$work/body" && ! grep -q "$host" "$work/body"
ok $? "GET /api/v1/health says 503, without the database's address (got $status)"
before=$(( $(cpu "$pid_a") + $(cpu "$pid_b") ))
sleep 3
used=$(( $(cpu "$pid_a") + $(cpu "$pid_b") - before ))
[ "$used" -lt 30 ]
ok $? "both servers wait without using the CPU: $used ticks in 3 s"

pg_start
status=000
for _ in $(seq 50); do
  status=$(call GET "$a/api/v1/health" "")
  [ "$status" = 200 ] && break
  sleep 0.1
done
[ "$status" = 200 ]
ok $? "health is 200 again once PostgreSQL is back, without restarting the server"
for _ in $(seq 50); do
  status=$(call POST "$b/api/v1/results" "$ann" "$result")
  [ "$status" = 503 ] || break
  sleep 0.1
done
[ "$status" = 200 ] && [ "$(psql -X -At "$db" -c 'SELECT count(*) FROM results')" = 1 ]
ok $? "the result sent again is taken, once (got $status)"

# The live feed between the servers comes back too. What was told while
# a server was still reconnecting is lost; the workstation's next event
# (here one each half second, as its heartbeats) shows it again.
seen=""
for i in $(seq 10); do
  call POST "$b/api/v1/events" "$ann" '{"type":"block_start","block":1,"blocks":4}' >/dev/null
  for _ in 1 2 3 4 5; do
    call GET "$a/api/v1/participants" "$kim" >/dev/null
    seen=$(state_of ann)
    [ "$seen" = working ] && break 2
    sleep 0.1
  done
done
[ "$seen" = working ]
ok $? "the coach on server A sees ann, on server B, working again (state: $seen, after $i events)"

lost=$(grep -c 'connection to PostgreSQL was lost' "$work/a.err")
back=$(grep -c 'Connected to PostgreSQL again' "$work/a.err")
[ "$lost" = 1 ] && [ "$back" = 1 ]
ok $? "server A's log says once that the database went and once that it is back ($lost, $back)"
