#!/bin/sh
# annolab-queue on PostgreSQL from the command line, run by with-postgres.sh:
# every command gives what it gives on SQLite, a queue is copied to
# PostgreSQL and back whole, and bad connections get clear messages.
# TAP output.
set -u
queue=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=${ANNOLAB_SOURCE_ROOT:-$(dirname "$0")/..}
demo=$root/data/demo
host=$ANNOLAB_TEST_PG_HOST
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
n=0

ok () {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

psql_do () {
  psql -X -q -At "postgresql:///$1?host=$host&user=postgres" -c "$2"
}

newdb () {
  psql_do postgres "CREATE DATABASE $1" >/dev/null
  echo "postgresql:///$1?host=$host&user=postgres"
}

echo "1..15"

# The same commands on a file and on PostgreSQL.
mkdir "$work/lab"
cp "$demo/tasks.jsonl" "$work/lab/"
cp -r "$demo/images" "$demo/audio" "$demo/video" "$demo/programme" "$work/lab/"
cp "$demo/programme/programme.vtt" "$demo/programme/programme.wav" "$work/lab/"
pg=$(newdb lab)
for db in "$work/lab.db" "$pg"; do
  out=$work/sqlite.out
  [ "$db" = "$pg" ] && out=$work/postgresql.out
  (
    cd "$work/lab" &&
    "$queue" --db "$db" import tasks.jsonl &&
    "$queue" --db "$db" import programme.vtt --media programme.wav --language en --dataset prog &&
    "$queue" --db "$db" user add ann --role participant --group a >/dev/null &&
    "$queue" --db "$db" user add kim --role coach --group a >/dev/null &&
    "$queue" --db "$db" user set ann voice_images true &&
    "$queue" --db "$db" set gold_share 0.2 &&
    "$queue" --db "$db" set lease_seconds 600 &&
    "$queue" --db "$db" media-root "$work/lab" &&
    "$queue" --db "$db" stats &&
    "$queue" --db "$db" export --format jsonl &&
    "$queue" --db "$db" export --format coco &&
    "$queue" --db "$db" record ann | grep -v '"generated_at"'
  ) 2>&1 | sed "s|$db|DB|g" | grep -v "exported_at\|date_created\|did not exist" > "$out"
done
cmp -s "$work/sqlite.out" "$work/postgresql.out" && grep -q '^tasks' "$work/sqlite.out"
ok $? "import, user, set, media-root, stats, export and record say the same on both$(diff "$work/sqlite.out" "$work/postgresql.out" | head -5 | tr '\n' ' ')"
[ "$(psql_do lab 'SELECT count(*) FROM tasks')" -gt 20 ]
ok $? "the tasks are in PostgreSQL's tables"

# Some work through a server on PostgreSQL, then the queue copied to a
# new SQLite file and back to a new PostgreSQL database.
"$queue" --db "$pg" serve --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 50); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
token=$("$queue" --db "$pg" user add bob --role participant)
for i in 1 2 3; do
  lease=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{}' "$url/api/v1/lease")
  id=$(echo "$lease" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lease"]["id"])')
  kind=$(echo "$lease" | python3 -c 'import json,sys; print(json.load(sys.stdin)["task"]["kind"])')
  case $kind in
    bbox) result='{"boxes":[]}' ;;
    transcribe) result='{"text":"ten of clubs"}' ;;
    *) result='{"choices":[]}' ;;
  esac
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"lease_id\":\"$id\",\"idempotency_key\":\"k$i\",\"result\":$result,\"lead_time_ms\":900}" \
    "$url/api/v1/results"
done > "$work/codes"
# One task held, not answered: its holder comes along, counted once.
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{}' "$url/api/v1/lease"
kill "$server"
wait "$server"
[ "$(sort -u "$work/codes")" = 200 ]
ok $? "three results submitted through a server on PostgreSQL: $(cat "$work/codes" | tr '\n' ' ')"

"$queue" copy "$pg" "$work/copy.db" > "$work/out" 2> "$work/err"
ok $? "copy from PostgreSQL to a new SQLite file: $(cat "$work/out" "$work/err")"
back=$(newdb back)
"$queue" copy "$work/copy.db" "$back" > "$work/out2" 2> "$work/err"
ok $? "and from that file to a new PostgreSQL database: $(cat "$work/out2" "$work/err")"
for db in "$pg" "$work/copy.db" "$back"; do
  "$queue" --db "$db" stats
  "$queue" --db "$db" export --format jsonl
  "$queue" --db "$db" record bob
done 2>&1 | grep -v "exported_at\|generated_at" > "$work/all"
lines=$(wc -l < "$work/all")
third=$((lines / 3))
head -n "$third" "$work/all" > "$work/1"
sed -n "$((third + 1)),$((2 * third))p" "$work/all" > "$work/2"
tail -n "$third" "$work/all" > "$work/3"
cmp -s "$work/1" "$work/2" && cmp -s "$work/1" "$work/3" && grep -q 'results	3' "$work/1"
ok $? "stats, export and work record are the same on the original and both copies$(diff "$work/1" "$work/2" | head -5 | tr '\n' ' ')$(diff "$work/1" "$work/3" | head -5 | tr '\n' ' ')"
[ "$(psql_do back 'SELECT count(*) FROM leases')" = "$(psql_do lab 'SELECT count(*) FROM leases')" ]
ok $? "the leases came along"
held='SELECT sum(holders) FROM tasks'
[ "$(psql_do lab "$held")" = 1 ] && [ "$(psql_do back "$held")" = 1 ] &&
  [ "$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$work/copy.db" "$held")" = 1 ]
ok $? "the one held task counts its holder once in the original and both copies"
# Ids go on after the copied rows.
"$queue" --db "$back" user add cy --role participant > /dev/null 2> "$work/err"
ok $? "a new user in the copy gets a fresh id: $(cat "$work/err")"

"$queue" copy "$work/copy.db" "$back" > /dev/null 2> "$work/err"
[ $? -eq 1 ] && grep -q "already holds a queue" "$work/err" &&
  [ "$(psql_do back 'SELECT count(*) FROM results')" = 3 ]
ok $? "a copy into a database that holds a queue is refused, nothing changed: $(cat "$work/err")"

# Bad connections and databases.
"$queue" --db "postgresql:///nosuchdb?host=$host&user=postgres" stats > /dev/null 2> "$work/err"
[ $? -eq 1 ] && grep -q 'Cannot connect to the database postgresql:///nosuchdb.*"nosuchdb" does not exist' "$work/err"
ok $? "a database that does not exist is named: $(cat "$work/err")"
"$queue" --db "postgresql:///lab?host=$work/nothing-here&user=postgres" stats > /dev/null 2> "$work/err"
[ $? -eq 1 ] && grep -q "Cannot connect to the database.*nothing-here.*No such file" "$work/err"
ok $? "a server that is not running: $(tr "\n\t" "  " < "$work/err")"
"$queue" --db "postgresql://bob:secret@[::1" stats > /dev/null 2> "$work/err"
[ $? -eq 1 ] && grep -q "Cannot connect to the database" "$work/err" && ! grep -q secret "$work/err"
ok $? "a malformed URI, without its password in the message: $(cat "$work/err")"
psql_do postgres "CREATE ROLE pwuser LOGIN PASSWORD 'right'" > /dev/null
psql_do postgres "ALTER SYSTEM SET password_encryption = 'scram-sha-256'" > /dev/null
hba=$(psql_do postgres "SHOW hba_file")
printf 'local all pwuser scram-sha-256\n' | cat - "$hba" > "$work/hba" && cat "$work/hba" > "$hba"
psql_do postgres "SELECT pg_reload_conf()" > /dev/null
"$queue" --db "postgresql://pwuser:wrong@/lab?host=$host" stats > /dev/null 2> "$work/err"
[ $? -eq 1 ] && grep -q 'password authentication failed for user "pwuser"' "$work/err" &&
  ! grep -q wrong "$work/err"
ok $? "a wrong password: $(cat "$work/err")"
other=$(newdb other)
psql_do other "CREATE TABLE invoices (id int)" > /dev/null
"$queue" --db "$other" stats > /dev/null 2> "$work/err"
[ $? -eq 1 ] && grep -q "is a PostgreSQL database but not an annolab database" "$work/err" &&
  [ "$(psql_do other "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")" = 1 ]
ok $? "another program's database is left as it is: $(cat "$work/err")"
