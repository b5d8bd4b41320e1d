#!/bin/sh
# annolab-queue import and export from the command line, on the demo's
# real photos and recordings. TAP output.
set -u
# Absolute: some steps run in another folder.
queue=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
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

echo "1..35"

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
"$queue" --db "$work/b.db" export --annotator Sammy > "$work/out" 2> "$work/err"
[ $? -eq 1 ] && [ ! -s "$work/out" ] && grep -q 'there is no participant named "Sammy"' "$work/err"
ok $? "an export for a name that is no participant is refused, not empty: $(head -n 1 "$work/err")"

echo '{"images": [{"id": 1, "file_name": "x.jpg"}], "categories": [{"id": 1, "name": "a"}], "annotations": [{"image_id": 1, "category_id": 1, "bbox": [0, 0, 0, 3]}]}' > "$work/bad.json"
"$queue" --db "$work/b.db" import "$work/bad.json" 2> "$work/err"
[ $? -eq 1 ] && grep -q "bad.json, annotations\[0\]: \"bbox\"" "$work/err"
ok $? "a bad bbox names file and record"
[ "$(sql "$work/b.db" "SELECT count(*) FROM tasks")" = 2 ]
ok $? "and imports nothing"

# The README's commands as written, run in the lab's folder with relative
# paths; media live beside the files that name them.
lab=$work/readme
mkdir -p "$lab/photos" "$lab/recordings" "$lab/images" "$lab/audio"
cp "$demo/images/coffee.jpg" "$demo/images/horse.png" "$lab/photos/"
cp "$demo/images/"*.jpg "$demo/images/"*.png "$lab/images/"
cp "$demo/audio/"*.wav "$lab/audio/"
cp "$demo/audio/cards-001.wav" "$demo/audio/cards-002.wav" "$lab/recordings/"
cp "$demo/tasks.jsonl" "$lab/tasks.jsonl"
cp "$work/instances.json" "$lab/instances.json"
echo '[{"id": 1, "data": {"image": "/data/upload/1/coins.png"}}]' > "$lab/project.json"
cp "$demo/images/coins.png" "$lab/"
printf 'ten of clubs (recordings-cards-001)\n' > "$lab/reference.trn"
printf 'id,audio,start,end,gold\ns1,recordings/cards-002.wav,0,1.5,spraak\n' > "$lab/sounds.csv"
cp "$demo/programme/programme.vtt" "$demo/programme/programme.wav" "$lab/"
cp -r "$demo/video" "$lab/video"
cp -r "$demo/programme" "$lab/programme"
cp "$demo/video/camera-pan.gold.xml" "$lab/tracks.xml"
cp "$demo/video/camera-pan.webm" "$lab/video/clip.webm"
(
  cd "$lab" || exit 1
  "$queue" --db lab.db import tasks.jsonl &&
  "$queue" --db lab.db import instances.json --images photos/ --overlap 3 &&
  "$queue" --db lab.db import project.json --labels coin &&
  "$queue" --db lab.db import recordings/ --language en &&
  "$queue" --db lab.db import reference.trn &&
  "$queue" --db lab.db import sounds.csv --choices muziek,spraak,stilte &&
  "$queue" --db lab.db import programme.vtt --media programme.wav --language en &&
  "$queue" --db lab.db import tracks.xml --format cvat-video --media video/clip.webm
) > "$work/out" 2> "$work/err"
ok $? "the README's import commands work as written"
! grep -q CRITICAL "$work/err"
ok $? "without a GLib-CRITICAL: $(head -c 300 "$work/err")"
[ "$(sql "$lab/lab.db" "SELECT count(*) FROM tasks")" = 39 ]
ok $? "27 demo tasks, 2 COCO, 1 Label Studio, 2 recordings, 1 media list to classify, 5 cues, 1 video"

# Files that are not the dataset's own: nothing is imported, the record
# and the path are named.
printf '{"id":"x","kind":"bbox","image":"/etc/shadow","labels":["a"]}\n' > "$lab/evil.jsonl"
(cd "$lab" && "$queue" --db lab.db import evil.jsonl) 2> "$work/err"
[ $? -eq 1 ] && grep -q "evil.jsonl, task x: the image /etc/shadow is outside the dataset's folder" "$work/err"
ok $? "an absolute path out of the folder is refused: $(cat "$work/err")"
printf '{"id":"y","kind":"bbox","image":"lab.db","labels":["a"]}\n' > "$lab/db.jsonl"
(cd "$lab" && "$queue" --db lab.db import db.jsonl) 2> "$work/err"
[ $? -eq 1 ] && grep -q "task y: the image .*lab.db is the database itself" "$work/err"
ok $? "the database as media is refused"
echo '{"images": [{"id": 3, "file_name": "missing.jpg"}], "categories": [{"id": 1, "name": "a"}]}' > "$lab/gone.json"
(cd "$lab" && "$queue" --db lab.db import gone.json --images photos) 2> "$work/err"
[ $? -eq 1 ] && grep -q "gone.json, task gone-3: the image .*photos/missing.jpg does not exist" "$work/err"
ok $? "a COCO image that is not there is named"
printf 'RIFF\044\0\0\0WAVEjunk' > "$lab/fake.wav"
printf '{"id":"f","kind":"transcribe","audio":"fake.wav"}\n' > "$lab/fake.jsonl"
(cd "$lab" && "$queue" --db lab.db import fake.jsonl) 2> "$work/err"
[ $? -eq 1 ] && grep -q "fake.jsonl, task f: The recording .*fake.wav cannot be played" "$work/err"
ok $? "a recording the decoder cannot play is refused: $(cat "$work/err")"
[ "$(sql "$lab/lab.db" "SELECT count(*) FROM tasks")" = 39 ]
ok $? "and nothing more was imported"

# An export or a work record never overwrites the database, its WAL or a
# dataset's photo (by name, symlink or hard link), and a failed export
# leaves no half-written file.
(cd "$lab" && ln -sf lab.db link.db && ln -f lab.db hard.db &&
  "$queue" --db lab.db user add Sam --role participant > /dev/null)
before=$(sql "$lab/lab.db" "SELECT count(*) FROM tasks")
for args in "export --format jsonl --output lab.db" "export --format coco --output lab.db-wal" \
            "export --output link.db" "export --format coco --output hard.db" \
            "export --format yolo --output lab.db" "export --output photos/horse.png" \
            "record Sam --output lab.db"; do
  # shellcheck disable=SC2086
  (cd "$lab" && "$queue" --db lab.db $args) > /dev/null 2> "$work/err"
  status=$?
  [ $status -eq 1 ] && grep -q "is the queue's database\|is a photo or recording of a dataset" "$work/err"
  ok $? "'$args' is refused: $(head -n 1 "$work/err")"
done
[ "$(sql "$lab/lab.db" "SELECT count(*) FROM tasks")" = "$before" ] && cmp -s "$lab/photos/horse.png" "$demo/images/horse.png"
ok $? "the database and the photo are untouched"
printf 'not a picture any more' > "$lab/photos/horse.png"
(cd "$lab" && "$queue" --db lab.db export --format coco --output half.json) 2> "$work/err"
[ $? -eq 1 ] && [ ! -e "$lab/half.json" ] && ! ls "$lab" | grep -q 'half.json'
ok $? "a failed export leaves no file behind: $(head -n 1 "$work/err")"

# A misspelt option of any command is an error that names it, before the
# database is touched; it used to be ignored as if it were not there.
for args in "import tasks.jsonl --imgaes photos/" "export --fromat coco" "user add Sam --rol coach" \
            "record Sam --outptu x" "stats --verbose" "serve --lisen 127.0.0.1:0"; do
  # shellcheck disable=SC2086
  (cd "$lab" && "$queue" --db fresh.db $args) > /dev/null 2> "$work/err"
  status=$?
  flag=$(echo "$args" | grep -o -- '--[a-z]*' | head -1)
  [ $status -eq 2 ] && grep -q "Unknown option $flag" "$work/err" && [ ! -e "$lab/fresh.db" ]
  ok $? "'$args' is refused naming $flag, and no database is made: $(head -n 1 "$work/err")"
done

# A misspelt --db: a command that reads says so and makes nothing.
"$queue" --db "$work/nowhere/lab.db" stats > "$work/out" 2> "$work/err"
[ $? -eq 1 ] && grep -q "there is no queue database $work/nowhere/lab.db" "$work/err" &&
  [ ! -e "$work/nowhere" ]
ok $? "stats on a database that does not exist is refused, and nothing is made: $(head -n 1 "$work/err")"
"$queue" --db "$work/nowhere/lab.db" export > "$work/out" 2> "$work/err"
[ $? -eq 1 ] && [ ! -e "$work/nowhere" ]
ok $? "so is export"

exit $failed
