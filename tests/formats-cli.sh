#!/bin/sh
# annolab-queue import and export from the command line, on the demo's
# real photos and recordings. TAP output.
set -u
queue=$1
root=${ANNOLAB_SOURCE_ROOT:-$(dirname "$0")/..}
demo=$root/data/demo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
failed=0

ok () {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

sql () {
  python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"
}

echo "1..9"

# A 20 second recording made of five demo recordings, with a transcript
# that cannot be gold once the recording is cut.
mkdir "$work/long"
python3 - "$demo/audio" "$work/long" <<'PY'
import sys, wave
src, dst = sys.argv[1], sys.argv[2]
names = ["austen-0870", "austen-0880", "austen-0890", "austen-0920", "austen-0930"]
with wave.open(dst + "/reading.wav", "wb") as out:
    for i, name in enumerate(names):
        with wave.open(src + "/" + name + ".wav") as w:
            if i == 0:
                out.setparams(w.getparams())
            out.writeframes(w.readframes(w.getnframes()))
            out.writeframes(b"\0\0" * (w.getframerate() // 2))
PY
cp "$demo/audio/cards-001.wav" "$work/long/"
echo "ten of clubs" > "$work/long/cards-001.txt"
echo "whatever" > "$work/long/reading.txt"

"$queue" --db "$work/a.db" import "$work/long" --language en > "$work/out" 2> "$work/err"
ok $? "audio folder import"
segments=$(sql "$work/a.db" "SELECT count(*) FROM tasks WHERE id LIKE 'long-reading-%'")
short=$(sql "$work/a.db" "SELECT count(*) FROM tasks WHERE id = 'long-cards-001' AND is_gold = 1")
longest=$(sql "$work/a.db" "SELECT max(json_extract(data, '$.end') - json_extract(data, '$.start')) FROM tasks WHERE id LIKE 'long-reading-%'")
python3 -c "import sys; n, s, l = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]); sys.exit(0 if n >= 3 and s == 1 and l <= 8.0 else 1)" "$segments" "$short" "$longest"
ok $? "a 20 s recording is cut into $segments segments of at most 8 s; the short one keeps its gold"
grep -q "reading.txt is not used as gold" "$work/err"
ok $? "the note says the long transcript is not gold"

cat > "$work/instances.json" <<'JSON'
{"images": [{"id": 5, "file_name": "coffee.jpg", "width": 600, "height": 400},
            {"id": 6, "file_name": "horse.png"}],
 "categories": [{"id": 1, "name": "cup"}, {"id": 2, "name": "horse"}],
 "annotations": [{"id": 9, "image_id": 5, "category_id": 1, "bbox": [172, 18, 240, 287], "iscrowd": 0}]}
JSON
"$queue" --db "$work/b.db" import "$work/instances.json" --images "$demo/images" --dataset c > "$work/out"
ok $? "COCO import, format guessed"
grep -q "imported 2 tasks" "$work/out"
ok $? "two image tasks"

"$queue" --db "$work/b.db" export --format coco --output "$work/export.json"
python3 - "$work/export.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ids = sorted(i["id"] for i in d["images"])
sizes = {i["file_name"]: (i["width"], i["height"]) for i in d["images"]}
assert ids == [5, 6], ids
assert sizes["horse.png"][0] > 0, sizes
assert [c["id"] for c in d["categories"]] == [1, 2]
assert d["annotations"] == []
PY
ok $? "COCO export keeps image and category ids, reads image sizes"

"$queue" --db "$work/b.db" export --format yolo 2> "$work/err"
[ $? -eq 1 ] && grep -q "output DIR" "$work/err"
ok $? "a folder format without --output is refused"

echo '{"images": [{"id": 1, "file_name": "x.jpg"}], "categories": [{"id": 1, "name": "a"}], "annotations": [{"image_id": 1, "category_id": 1, "bbox": [0, 0, 0, 3]}]}' > "$work/bad.json"
"$queue" --db "$work/b.db" import "$work/bad.json" 2> "$work/err"
[ $? -eq 1 ] && grep -q "bad.json, annotations\[0\]: \"bbox\"" "$work/err"
ok $? "a bad bbox names file and record"
[ "$(sql "$work/b.db" "SELECT count(*) FROM tasks")" = 2 ]
ok $? "and imports nothing"

exit $failed
