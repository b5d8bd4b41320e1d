#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every string marked for translation has a Dutch translation, and every
# file with such strings is listed in po/POTFILES.in (else gettext's tools
# would never see it).
set -eu
src=${ANNOLAB_SOURCE_ROOT:-$(dirname "$0")/../..}
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..2"

git ls-files '*.c' '*.ui' 2>/dev/null > "$tmp/all" || find app annotate a11y audio tasks server \
  \( -name '*.c' -o -name '*.ui' \) > "$tmp/all"
: > "$tmp/marked"
while read -r f; do
  case "$f" in tests/*|bench/*) continue ;; esac
  if grep -Eq '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext) ?\(|translatable="yes"' "$f"; then
    echo "$f" >> "$tmp/marked"
  fi
done < "$tmp/all"
missing=$(grep -vxFf po/POTFILES.in "$tmp/marked" || true)
if [ -z "$missing" ]; then
  echo "ok 1 - every file with translatable strings is in po/POTFILES.in"
else
  echo "not ok 1 - not in po/POTFILES.in: $(echo $missing)"
fi

xgettext --files-from="$tmp/marked" --from-code=UTF-8 --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --add-comments --output="$tmp/annolab.pot" 2>"$tmp/xgettext.err"
msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/nl.po" po/nl.po "$tmp/annolab.pot"
msgattrib --untranslated --no-obsolete "$tmp/nl.po" > "$tmp/untranslated.po"
n=$(grep -c '^msgid ' "$tmp/untranslated.po" || true)
# The header entry counts as one msgid.
[ "$n" -gt 0 ] && n=$((n - 1))
if [ "$n" -eq 0 ]; then
  echo "ok 2 - every string has a Dutch translation"
else
  echo "not ok 2 - $n strings have no Dutch translation:"
  grep -A1 '^msgid ' "$tmp/untranslated.po" | sed -n '4,$p' | sed 's/^/# /' | head -200
  exit 1
fi
[ -z "$missing" ]
