#!/bin/sh
# Runs NIST sclite and "annolab-score wer --sclite" on the same real
# transcripts (pocketsphinx-testdata) with deterministic edits and requires
# identical C/S/D/I counts. Exits 77 (skip) when sclite or the data is absent.
set -eu

score=$1
here=$(dirname "$0")
data=/usr/share/pocketsphinx/test/data

sclite=$(command -v sclite || true)
[ -n "$sclite" ] || { [ -x /usr/lib/sctk/bin/sclite ] && sclite=/usr/lib/sctk/bin/sclite; } || true
if [ -z "$sclite" ]; then
  echo "1..0 # SKIP sclite is not installed (package sctk)"
  exit 77
fi
if [ ! -r "$data/cards/cards.transcription" ] || [ ! -r "$data/librivox/transcription" ]; then
  echo "1..0 # SKIP pocketsphinx-testdata is not installed"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Real sentences: strip the utterance ids and sentence markers.
for f in "$data/cards/cards.transcription" "$data/librivox/transcription" \
         "$data/tidigits/tidigits.lsn"; do
  [ -r "$f" ] && sed -e 's/([^()]*)[[:space:]]*$//' -e 's/<\/*s>//g' "$f"
done > "$tmp/sentences.txt"

awk -v variants=12 -v ref="$tmp/ref.trn" -v hyp="$tmp/hyp.trn" -f "$here/make-trn.awk" \
  "$tmp/sentences.txt"
n=$(wc -l < "$tmp/ref.trn")

"$sclite" -r "$tmp/ref.trn" trn -h "$tmp/hyp.trn" trn -i rm -o dtl stdout > "$tmp/sclite.txt" 2>/dev/null
count() { sed -n "s/^Percent $1 *=.*( *\([0-9]*\))/\1/p" "$tmp/sclite.txt"; }
expected="c=$(count Correct) s=$(count Substitution) d=$(count Deletions) i=$(count Insertions)"

"$score" wer --ref "$tmp/ref.trn" --hyp "$tmp/hyp.trn" --sclite --json > "$tmp/ours.json"
got=$(sed -e 's/.*"c":\([0-9]*\),"s":\([0-9]*\),"d":\([0-9]*\),"i":\([0-9]*\).*/c=\1 s=\2 d=\3 i=\4/' "$tmp/ours.json")

echo "1..2"
if [ "$n" -ge 300 ]; then echo "ok 1 - $n utterances"; else echo "not ok 1 - only $n utterances"; fi
if [ "$expected" = "$got" ] && [ -n "$(count Correct)" ]; then
  echo "ok 2 - counts equal sclite: $got"
else
  echo "not ok 2 - sclite: $expected, annolab-score: $got"
  exit 1
fi
