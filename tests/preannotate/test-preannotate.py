#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# annolab-queue pre-annotate with the real models on the demo's real
# recordings and photos, the proposals a lease hands out (never on gold),
# results that say what they made of a proposal, and a stand-in model
# server with its failure cases. TAP output.
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

queue, score = sys.argv[1], sys.argv[2]
root = os.environ.get("ANNOLAB_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
demo = os.path.abspath(os.path.join(root, "data", "demo"))
work = tempfile.mkdtemp()
db = os.path.join(work, "lab.db")
n = 0
failed = False


def ok(cond, what):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok"), n, "-", what.replace("\n", "; "), flush=True)
    failed = failed or not cond


def run(*args):
    p = subprocess.run([queue, "--db", db] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def count_proposals():
    return sqlite3.connect(db).execute("SELECT count(*) FROM proposals").fetchone()[0]


def demo_task(task_id, **change):
    for line in open(os.path.join(demo, "tasks.jsonl")):
        task = json.loads(line)
        if task["id"] == task_id:
            media = "image" if "image" in task else "audio"
            task[media] = os.path.join(demo, task[media])
            task.pop("proposal", None)  # the demo's own; here the models make them
            task.update(change)
            return task


def write_jsonl(name, tasks):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        for t in tasks:
            f.write(json.dumps(t) + "\n")
    return path


print("1..43")

# Speech: two gold segments, one ordinary, one said to be Dutch.
speech = [demo_task("demo-speech-cards-001", training=False),
          demo_task("demo-speech-cards-002"),
          demo_task("demo-speech-austen-0880"),
          demo_task("demo-speech-cards-003", id="nl-cards-003", language="nl")]
rc, out, err = run("import", write_jsonl("speech.jsonl", speech), "--dataset", "speech",
                   "--media-root", demo)
ok(rc == 0, "the speech tasks are imported " + err)

rc, out, err = run("pre-annotate", "--dataset", "speech", "--with", "asr")
ok(rc == 0 and "stored 3 proposals" in out, "PocketSphinx drafts three English segments: " + out + err)
ok('1 tasks got none: no speech model for language "nl"' in out, "the Dutch segment is counted")
m = re.search(r"model on 2 gold transcriptions: WER ([0-9.]+)%", out)
ok(m is not None, "the model's own WER on the gold segments is reported")

rows = sqlite3.connect(db).execute(
    "SELECT t.id, p.model, p.version, p.proposal FROM proposals p JOIN tasks t ON t.seq = p.task_seq"
    " ORDER BY t.seq").fetchall()
p = json.loads(rows[0][3])
ok(rows[0][1] == "pocketsphinx" and p["text"] == " ".join(w["word"] for w in p["words"]),
   "the draft has the model, its text and its words")
ok(all(0 <= w["confidence"] <= 1 and 0 <= w["start"] < w["end"] <= 1.2 for w in p["words"]),
   "every word has a confidence and times inside the segment")

rc, out, err = run("pre-annotate", "--dataset", "speech", "--with", "asr")
ok(rc == 0 and "stored 0 proposals" in out and "3 tasks kept" in out, "running again changes nothing")
rc, out, err = run("pre-annotate", "--dataset", "speech", "--with", "asr", "--replace")
ok(rc == 0 and "stored 3 proposals" in out and count_proposals() == 3, "--replace replaces them")

rc, out, err = run("proposals", "--dataset", "speech", "--format", "trn", "--output",
                   os.path.join(work, "hyp.trn"))
ref = os.path.join(work, "ref.trn")
with open(ref, "w") as f:
    for line in open(os.path.join(demo, "reference.trn")):
        if re.search(r"\((demo-speech-cards-001|demo-speech-cards-002|demo-speech-austen-0880)\)", line):
            f.write(line)
p = subprocess.run([score, "wer", "--ref", ref, "--hyp", os.path.join(work, "hyp.trn"), "--sclite"],
                   capture_output=True, text=True)
ok(p.returncode == 0 and "Utterances: 3" in p.stdout, "annolab-score reads the drafts: " + p.stdout.replace("\n", "; "))

# Faces on the demo photos, gold drawn by hand on astronaut.jpg and camera.jpg.
faces = []
gold = {"astronaut.jpg": [{"label": "gezicht", "x": 170, "y": 62, "w": 105, "h": 115}],
        "camera.jpg": [{"label": "gezicht", "x": 180, "y": 105, "w": 75, "h": 90}]}
for name in sorted(os.listdir(os.path.join(demo, "images"))):
    faces.append({"id": "face-" + name, "kind": "bbox", "image": os.path.join(demo, "images", name),
                  "labels": ["gezicht"], "gold": {"boxes": gold.get(name, [])}})
faces.append({"id": "face-open", "kind": "bbox", "image": os.path.join(demo, "images", "astronaut.jpg"),
              "labels": ["vlag", "Gezicht"]})
faces.append({"id": "no-face-label", "kind": "bbox", "image": os.path.join(demo, "images", "horse.png"),
              "labels": ["paard"]})
rc, out, err = run("import", write_jsonl("faces.jsonl", faces), "--dataset", "faces",
                   "--media-root", demo)
ok(rc == 0, "the face tasks are imported " + err)
rc, out, err = run("pre-annotate", "--dataset", "faces", "--with", "faces")
m = re.search(r"model on 10 gold box tasks: precision ([0-9.]+), recall ([0-9.]+), mean IoU ([0-9.]+)", out)
ok(rc == 0 and m is not None, "the cascade runs on the photos: " + out.replace("\n", "; "))
ok(m is not None and float(m.group(2)) > 0, "it finds a face the gold has")
prop = sqlite3.connect(db).execute(
    "SELECT p.proposal FROM proposals p JOIN tasks t ON t.seq = p.task_seq WHERE t.id = 'face-open'"
    ).fetchone()
boxes = json.loads(prop[0])["boxes"] if prop else []
ok(len(boxes) >= 1 and all(b["label"] == "Gezicht" and 0 < b["confidence"] <= 1 for b in boxes),
   "its boxes take the task's own face label")
ok(sqlite3.connect(db).execute("SELECT count(*) FROM proposals p JOIN tasks t ON t.seq = p.task_seq"
                               " WHERE t.id = 'no-face-label'").fetchone()[0] == 0,
   "a task without a face label is left alone")

# Faces on video: a clip panning over the astronaut's face, with its gold
# track, the same clip as an ordinary task, and the demo clip (the man with
# the camera, turned away) given a face label.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
face_clip = __import__("make-face-clip")
clip = face_clip.make(os.path.join(work, "face.webm"))
with open(os.path.join(demo, "tasks.jsonl")) as f:
    pan = [t for t in map(json.loads, f) if t["id"] == "demo-video-camera-pan"][0]
pan.update(id="vid-pan", video=os.path.join(demo, pan["video"]), labels=["gezicht"])
pan.pop("gold")
videos = [dict(clip, id="vid-gold", gold=face_clip.gold()), dict(clip, id="vid-open"), pan]
rc, out, err = run("import", write_jsonl("videos.jsonl", videos), "--dataset", "videos",
                   "--media-root", "/")
ok(rc == 0, "the video tasks are imported " + err)
rc, out, err = run("pre-annotate", "--dataset", "videos", "--with", "faces")
m = re.search(r"model on 1 gold videos: mean IoU ([0-9.]+) over the frames \((\d+) tracks proposed, 1 in "
              r"the gold\)", out)
ok(rc == 0 and "stored 3 proposals with faces" in out and m is not None,
   "the cascade runs on every half second of the clips: " + out.replace("\n", "; ") + err)
print("# face tracks on the astronaut clip: %s proposed, mean IoU against the gold track %s"
      % (m.group(2) if m else "?", m.group(1) if m else "?"))
ok(m is not None and m.group(2) == "1" and float(m.group(1)) > 0.6,
   "one track follows the astronaut's face, well over half of it the gold box's")
video_props = {r[0]: json.loads(r[1]) for r in sqlite3.connect(db).execute(
    "SELECT t.id, p.proposal FROM proposals p JOIN tasks t ON t.seq = p.task_seq WHERE t.id LIKE 'vid-%'")}
tracks = video_props.get("vid-open", {}).get("tracks", [])
keys = tracks[0]["keyframes"] if tracks else []
ok(len(tracks) == 1 and tracks[0]["label"] == "gezicht" and 0 < tracks[0]["confidence"] <= 1
   and len(keys) >= 2 and all(abs(k["t"] * 2 - round(k["t"] * 2)) < 1e-6 for k in keys)
   and not any(k["outside"] for k in keys),
   "the track has the label, a confidence and keyframes on the half seconds: " + json.dumps(tracks))
ok(video_props.get("vid-open", {}).get("model") == "opencv-haar"
   and video_props.get("vid-pan", {}).get("tracks") == [],
   "the demo clip's man, turned away behind his camera, gets no face track")
rc, out, err = run("pre-annotate", "--dataset", "videos", "--with", "faces")
ok(rc == 0 and "3 tasks kept the proposal they had" in out, "running again keeps them")

# A lab server: proposals come with the lease, never on gold tasks.
rc, token, err = run("user", "add", "anna", "--role", "participant")
token = token.strip()
server = subprocess.Popen([queue, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                          stdout=subprocess.PIPE, text=True)
base = server.stdout.readline().split()[-1]


def api(path, body):
    req = urllib.request.Request(base + path, json.dumps(body).encode(),
                                 {"Authorization": "Bearer " + token,
                                  "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


seen = {}
refusals = []
marks = []
for i in range(30):
    status, body = api("/api/v1/lease", {})
    if status != 200:
        break
    task = body["task"]
    seen[task["id"]] = task
    result = {"text": "ten of clubs"} if task["kind"] == "transcribe" else {"boxes": []}
    if task["kind"] == "video-boxes":
        result = {"tracks": []}
    if "proposal" in task and task["kind"] == "video-boxes" and task["proposal"]["tracks"]:
        bad = {"tracks": [dict(task["proposal"]["tracks"][0], origin="model")]}
        refusals.append(api("/api/v1/results", {"lease_id": body["lease"]["id"],
                                                "idempotency_key": "bad" + str(i), "result": bad}))
        result = {"tracks": [{"label": t["label"], "keyframes": t["keyframes"], "origin": "proposed"}
                             for t in task["proposal"]["tracks"]],
                  "proposal": {"model": "opencv-haar", "version": task["proposal"]["version"],
                               "accepted": len(task["proposal"]["tracks"]), "changed": 0, "added": 0,
                               "rejected": 0}}
    if "proposal" in task and task["kind"] == "transcribe":
        bad = dict(result, proposal={"model": "pocketsphinx", "version": "x", "accepted": -1,
                                     "changed": 0, "added": 0, "rejected": 0})
        refusals.append(api("/api/v1/results", {"lease_id": body["lease"]["id"],
                                                "idempotency_key": "bad" + str(i), "result": bad}))
        result["proposal"] = {"model": task["proposal"]["model"],
                              "version": task["proposal"]["version"],
                              "accepted": 2, "changed": 1, "added": 0, "rejected": 0}
    if "proposal" in task and task["kind"] == "bbox":
        bad = {"boxes": [dict(task["proposal"]["boxes"][0], origin="guessed")]}
        for b in bad["boxes"]:
            b.pop("confidence")
        refusals.append(api("/api/v1/results", {"lease_id": body["lease"]["id"],
                                                "idempotency_key": "bad" + str(i), "result": bad}))
        b = dict(task["proposal"]["boxes"][0], origin="proposed")
        b.pop("confidence")
        result = {"boxes": [b], "proposal": {"model": "opencv-haar", "version": "4.6.0",
                                             "accepted": 1, "changed": 0, "added": 0,
                                             "rejected": len(task["proposal"]["boxes"]) - 1}}
    if "proposal" in result:
        marks.append(result["proposal"])
    status, _ = api("/api/v1/results", {"lease_id": body["lease"]["id"],
                                        "idempotency_key": "k" + str(i), "result": result})
    if status != 200:
        print("# submit", task["id"], status, _)
rc, coach, err = run("user", "add", "cora", "--role", "coach")
token = coach.strip()
req = urllib.request.Request(base + "/api/v1/participants", headers={"Authorization": "Bearer " + token})
with urllib.request.urlopen(req) as r:
    people = json.loads(r.read())["participants"]
today = [p for p in people if p["name"] == "anna"][0].get("proposals_today", {})
items = sum(m[k] for m in marks for k in ("accepted", "changed", "added", "rejected"))
share = round(sum(m["accepted"] for m in marks) / items, 2) if items else None
ok(len(marks) >= 2 and today.get("tasks") == len(marks) and today.get("share_accepted") == share,
   "the coach sees how much of today's work was the model's: " + json.dumps(today))
server.terminate()
server.wait()
rc, out, err = run("record", "anna", "--format", "json")
record = json.loads(out) if rc == 0 else {}
ok(record.get("from_proposals", {}).get("tasks") == len(marks)
   and record["from_proposals"]["share_accepted"] == share,
   "the work record says how much was the model's: " + json.dumps(record.get("from_proposals")))
ok("demo-speech-cards-002" in seen and "proposal" in seen["demo-speech-cards-002"],
   "an ordinary transcription task is leased with its draft")
ok("face-open" in seen and "proposal" in seen["face-open"], "an ordinary box task is leased with its faces")
ok(all("proposal" not in seen[t] for t in seen if t.startswith("face-") and t != "face-open")
   and "proposal" not in seen.get("demo-speech-austen-0880", {"proposal": 1}),
   "gold tasks are leased without a proposal")
ok("vid-open" in seen and seen["vid-open"].get("proposal", {}).get("tracks")
   and "proposal" not in seen.get("vid-gold", {"proposal": 1}),
   "a video is leased with its face tracks, the gold video without")
ok(len(refusals) == 3 and all(s == 400 for s, _ in refusals), "nonsense marks are refused with 400")
ok(any("accepted" in json.dumps(b) for _, b in refusals) and any("origin" in json.dumps(b) for _, b in refusals),
   "the refusal names the problem: " + "; ".join(json.dumps(b) for _, b in refusals))

rc, out, err = run("export", "--format", "jsonl")
lines = [json.loads(l) for l in out.splitlines() if l.strip()]
text = json.dumps(lines)
ok(rc == 0 and '"accepted": 2' in text and '"changed": 1' in text, "the export keeps the result's marks")
ok('"origin": "proposed"' in text, "the export keeps where a box came from")
vid = [l for l in lines if l.get("task_id") == "vid-open"]
ok(vid and vid[0]["result"]["tracks"][0].get("origin") == "proposed"
   and vid[0]["result"]["proposal"]["accepted"] == 1, "and where a track came from")

# A lab's own model server.
log = os.path.join(work, "requests.jsonl")
stand_in = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "model-server.py"), log],
                            stdout=subprocess.PIPE, text=True)
port = stand_in.stdout.readline().strip()
mixed = [demo_task("demo-box-coffee", id="ls-coffee"), demo_task("demo-speech-cards-004", id="ls-cards"),
         demo_task("demo-classify-rocket", id="ls-rocket")]
for t in mixed:
    t.pop("gold", None)
rc, out, err = run("import", write_jsonl("ls.jsonl", mixed), "--dataset", "ls", "--media-root", demo)
ok(rc == 0, "tasks for the model server are imported " + err)
stored = count_proposals()
for mode, message in [("slow", "did not answer within 1 seconds"), ("fail", "answered HTTP 500"),
                      ("garbage", "not JSON"), ("shape", 'without "results"'),
                      ("label", 'the label "kat"'), ("outside", "outside the photo")]:
    rc, out, err = run("pre-annotate", "--dataset", "ls", "--timeout", "1",
                       "--with", "http://127.0.0.1:%s/%s/" % (port, mode))
    ok(rc == 1 and message in err and "nothing was changed" in err and count_proposals() == stored,
       "%s: a clear message and no change: %s" % (mode, err.strip()))
rc, out, err = run("pre-annotate", "--dataset", "ls", "--with", "http://lab:hunter2@127.0.0.1:1/?token=abc")
ok(rc == 1 and "cannot be reached" in err and count_proposals() == stored
   and "hunter2" not in err and "abc" not in err,
   "a server that is down, named without its password or token: " + err.strip())

rc, out, err = run("pre-annotate", "--dataset", "ls", "--with", "http://127.0.0.1:%s/ok/" % port)
props = {r[0]: json.loads(r[1]) for r in sqlite3.connect(db).execute(
    "SELECT t.id, p.proposal FROM proposals p JOIN tasks t ON t.seq = p.task_seq WHERE t.id LIKE 'ls-%'")}
ok(rc == 0 and len(props) == 3, "the model server's answers are stored: " + out + err)
box = props.get("ls-coffee", {}).get("boxes", [{}])[0]
ok(box.get("x") == 60 and box.get("w") == 150 and box.get("y") == 80 and box.get("h") == 200
   and box.get("label") == "kopje" and box.get("confidence") == 0.8,
   "percentages become pixels of the 600x400 photo: " + json.dumps(box))
ok(props.get("ls-cards", {}).get("text") == "ten of clubs" and props["ls-rocket"]["choices"] == ["raket"]
   and props["ls-rocket"]["version"] == "stand-in-1", "text and choices are mapped")
req = [json.loads(l) for l in open(log)][-1]["body"]
ok(req["tasks"][0]["data"].get("image", "").endswith("rocket.jpg") and "<Choices" in req["label_config"],
   "the request is Label Studio's: tasks with data and a label config")
stand_in.terminate()
stand_in.wait()
sys.exit(1 if failed else 0)
