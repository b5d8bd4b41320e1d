#!/bin/sh
# annolab-score from the outside: output, exit codes and error messages.
set -u

score=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: expected '$3', got '$2'"; fi; }

echo "1..11"

printf 'the cat sat on the mat (u-1)\nhello world (u-2)\n' > "$tmp/ref.trn"
printf 'The cat sat on mat (u-1)\nhello there world (u-2)\n' > "$tmp/hyp.trn"
out=$("$score" wer --ref "$tmp/ref.trn" --hyp "$tmp/hyp.trn" --json)
expect "wer keeps case without options" "$out" \
  '{"n":8,"c":6,"s":1,"d":1,"i":1,"wer":0.375,"utterances":2,"missing":0,"mer":0.33333333333333331,"wil":0.4375,"wip":0.5625}'
out=$("$score" wer --ref "$tmp/ref.trn" --hyp "$tmp/hyp.trn" --lowercase --json | cut -c1-41)
expect "--lowercase" "$out" '{"n":8,"c":7,"s":0,"d":1,"i":1,"wer":0.25'
out=$("$score" wer --ref "$tmp/ref.trn" --hyp "$tmp/hyp.trn" --sclite --cer --json | grep -o '"cer":[0-9.]*')
expect "--cer" "$out" '"cer":0.30303030303030304'

printf 'a b (u-1)\nbroken line\n' > "$tmp/bad.trn"
err=$("$score" wer --ref "$tmp/ref.trn" --hyp "$tmp/bad.trn" 2>&1 >/dev/null); rc=$?
expect "malformed trn exits 1" "$rc" 1
case "$err" in *bad.trn:2:*) ok "the message names file and line";; *) not_ok "message: $err";; esac

"$score" wer --ref "$tmp/ref.trn" >/dev/null 2>&1; expect "missing --hyp exits 2" "$?" 2
"$score" frobnicate >/dev/null 2>&1; expect "unknown command exits 2" "$?" 2

printf 'a b c d (x-1)\n' > "$tmp/w1.trn"
printf 'b z d e (x-1)\n' > "$tmp/w2.trn"
printf 'b c d e f (x-1)\n' > "$tmp/w3.trn"
out=$("$score" rover "$tmp/w1.trn" "$tmp/w2.trn" "$tmp/w3.trn")
expect "rover" "$out" "b c d e (x-1)"

cat > "$tmp/gt.json" <<'JSON'
{"images":[{"id":1}],"categories":[{"id":1,"name":"coin"}],
 "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[0,0,10,10],"area":100,"iscrowd":0},
                {"id":2,"image_id":1,"category_id":1,"bbox":[100,100,40,40],"area":1600,"iscrowd":0}]}
JSON
echo '[{"image_id":1,"category_id":1,"bbox":[0,0,10,10],"score":0.9},{"image_id":1,"category_id":1,"bbox":[100,100,40,48],"score":0.8}]' > "$tmp/dt.json"
out=$("$score" coco-eval --gt "$tmp/gt.json" --dt "$tmp/dt.json" | head -1)
# G2 is found with IoU 1600/1920 = 0.833: a hit at the 7 thresholds up to
# 0.80, a false positive at 0.85..0.95 where AP is 51/101:
# AP = (7 + 3 * 51/101) / 10 = 0.8515.
expect "coco-eval prints like summarize()" "$out" \
  " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.851"
out=$("$score" boxes --gold "$tmp/gt.json" --pred "$tmp/dt.json" --json | cut -c1-65)
expect "boxes" "$out" '{"precision":1.0,"recall":1.0,"f1":1.0,"mean_iou":0.9166666666666'

printf '{"images": [\n  {"id": 1},\n  oops\n]}' > "$tmp/broken.json"
err=$("$score" coco-eval --gt "$tmp/broken.json" --dt "$tmp/dt.json" 2>&1); rc=$?
case "$rc:$err" in 1:*broken.json:3:*) ok "bad JSON names file and line";; *) not_ok "$rc: $err";; esac

[ "$fails" -eq 0 ]
