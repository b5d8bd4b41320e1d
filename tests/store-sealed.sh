#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The store is sealed: only tasks/al-store*.c speak SQL (to SQLite or
# PostgreSQL). Everything else uses its named functions, so another
# database can go behind them.
# Tests and benchmarks may look into a database file from outside.
set -eu
src=${ANNOLAB_SOURCE_ROOT:-$(dirname "$0")/..}
cd "$src"
echo "1..3"

files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null ||
        find app annotate a11y audio tasks score formats server -name '*.[ch]')
outside=""
for f in $files; do
  case "$f" in
    tests/*|bench/*|tasks/al-store*.c|tasks/al-store-private.h|tasks/al-store-db.h) continue ;;
  esac
  outside="$outside $f"
done

check () {
  n=$1 what=$2 pattern=$3
  # shellcheck disable=SC2086
  found=$(grep -lE "$pattern" $outside /dev/null || true)
  if [ -z "$found" ]; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what: $(echo $found)"
  fi
}

check 1 "no file outside the store includes al-store-private.h, al-store-db.h, sqlite3.h or libpq-fe.h" \
  '#include [<"](al-store-private\.h|al-store-db\.h|sqlite3\.h|libpq-fe\.h)[>"]'
check 2 "no file outside the store calls sqlite3_* or libpq" \
  '(^|[^A-Za-z0-9_])(sqlite3_[a-z_0-9]+|PQ[a-z][A-Za-z]+|al_(conn|stmt)_[a-z_0-9]+) *\('
check 3 "no file outside the store prepares or runs SQL" \
  'al_store_(prepare|exec|begin|commit|rollback|lock|unlock|set_error) *\('
