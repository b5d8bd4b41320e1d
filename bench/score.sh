#!/bin/sh
# Time and peak memory of "annolab-score wer --sclite" against NIST sclite on
# the same generated trn pair (deterministic: the same files on every run).
#
#   bench/score.sh [BUILD_DIR]        N=100000 utterances by default
#
# sclite keeps every utterance in memory; when the machine has less than
# 8 GiB available it is run on the first 50,000 utterances only, and so is
# annolab-score for the side-by-side figures (the 100,000 run is shown too).
set -eu

build=${1:-${ANNOLAB_BUILD_ROOT:-build-release}}
score="$build/score/annolab-score"
n=${N:-100000}
[ -x "$score" ] || { echo "build first: ninja -C $build" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2 ..." >&2
  apt-get install -y "$2" >/dev/null 2>&1 || return 1
}
[ -x /usr/bin/time ] || need time time
sclite=$(command -v sclite || echo /usr/lib/sctk/bin/sclite)
[ -x "$sclite" ] || need sclite sctk || true
sclite=$(command -v sclite || echo /usr/lib/sctk/bin/sclite)
need hyperfine hyperfine || echo "hyperfine not available; using /usr/bin/time only" >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 100,000 utterances of 8-30 words from a 2,000-word vocabulary, with about
# 15% errors of every kind and some case changes.
awk -v n="$n" -v ref="$tmp/ref.trn" -v hyp="$tmp/hyp.trn" '
function rnd(k) { seed = (seed * 16807) % 2147483647; return seed % k }
BEGIN {
  seed = 42
  for (i = 0; i < 2000; i++) {
    w = ""; len = 2 + rnd(8)
    for (j = 0; j < len; j++) w = w substr("abcdefghijklmnopqrstuvwxyz", 1 + rnd(26), 1)
    vocab[i] = w
  }
  for (u = 1; u <= n; u++) {
    id = sprintf("spk%03d-%06d", u % 300, u)
    len = 8 + rnd(23); r = ""; h = ""
    for (j = 0; j < len; j++) {
      w = vocab[rnd(2000)]
      r = r (j ? " " : "") w
      e = rnd(100)
      if (e < 5) continue
      if (e < 10) w = vocab[rnd(2000)]
      else if (e < 14) w = w " " vocab[rnd(2000)]
      else if (e < 18) w = toupper(w)
      h = h (h == "" ? "" : " ") w
    }
    print r " (" id ")" > ref
    print h " (" id ")" > hyp
  }
}'

avail_kb=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
m=$n
if [ "$avail_kb" -lt $((8 * 1024 * 1024)) ] && [ "$n" -gt 50000 ]; then
  m=50000
fi
head -n "$m" "$tmp/ref.trn" > "$tmp/ref-m.trn"
head -n "$m" "$tmp/hyp.trn" > "$tmp/hyp-m.trn"

measure() { # label, command...
  label=$1; shift
  /usr/bin/time -v "$@" > "$tmp/out" 2> "$tmp/time"
  secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time" |
         awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
  echo "$label $secs $kb"
}

echo "annolab-score on $n utterances:"
measure ours-n "$score" wer --ref "$tmp/ref.trn" --hyp "$tmp/hyp.trn" --sclite --json | tee "$tmp/ours-n"
cat "$tmp/out"; echo
ours=$(measure ours "$score" wer --ref "$tmp/ref-m.trn" --hyp "$tmp/hyp-m.trn" --sclite --json)
cp "$tmp/out" "$tmp/ours.json"
theirs=$(measure sclite "$sclite" -r "$tmp/ref-m.trn" trn -h "$tmp/hyp-m.trn" trn -i rm -o dtl stdout)
cp "$tmp/out" "$tmp/sclite.txt"

count() { sed -n "s/^Percent $1 *=.*( *\([0-9]*\))/\1/p" "$tmp/sclite.txt"; }
echo "sclite counts on $m utterances: C=$(count Correct) S=$(count Substitution) D=$(count Deletions) I=$(count Insertions)"
echo "annolab-score on $m utterances: $(cat "$tmp/ours.json")"
echo
echo "$ours" "$theirs" | awk -v m="$m" '{
  printf "%d utterances       %12s %12s %8s\n", m, "annolab", "sclite", "ratio"
  printf "wall time (s)          %12.2f %12.2f %7.1fx\n", $2, $5, ($2 > 0 ? $5 / $2 : 0)
  printf "peak RSS (MiB)         %12.1f %12.1f %7.1fx\n", $3 / 1024, $6 / 1024, $6 / $3
}'

# The figures for bench/run, tab-separated, against sclite on the same files.
echo "$ours" "$theirs" | awk -v m="$m" '{
  printf "score: annolab-score wer --sclite, %d utterances, wall time\t%.2f\ts\tsclite\t%.2f\n", m, $2, $5
  printf "score: annolab-score wer --sclite, %d utterances, peak memory\t%.1f\tMiB\tsclite\t%.1f\n", m, $3 / 1024, $6 / 1024
}'

if command -v hyperfine >/dev/null 2>&1; then
  echo
  hyperfine --warmup 1 --runs 5 \
    "$score wer --ref $tmp/ref.trn --hyp $tmp/hyp.trn --sclite --json"
fi
