#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Broken recordings in voice mode: a missing file, a WAV cut short after
100 bytes, a text file named .wav, a segment with start == end and a
segment after the end of its recording. Each recording problem is shown
and said, reported broken to the queue (the store keeps the reason), and
the next task loads; the good tasks between them are done as usual. The
segment with start == end cannot be read as a task at all: the store sets
it aside as broken, with the reason, and hands out the next task."""
import json
import os
import shutil
import sqlite3
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    type_text, wait_until

skip_unless_desktop()
tap = Tap()
# A short folder: the messages name the file, and voice mode says them.
tmp = tempfile.mkdtemp(prefix="alb", dir="/tmp")
good = os.path.join(DEMO, "audio", "cards-001.wav")
with open(good, "rb") as f:
    wav = f.read()
with open(os.path.join(tmp, "cut.wav"), "wb") as f:
    f.write(wav[:100])
with open(os.path.join(tmp, "text.wav"), "w") as f:
    f.write("This is not a recording, only text with a .wav name.\n" * 20)

broken = {
    "missing": ({"audio": os.path.join(tmp, "gone.wav")}, "is missing"),
    "cut": ({"audio": os.path.join(tmp, "cut.wav")}, "cut short"),
    "text": ({"audio": os.path.join(tmp, "text.wav")}, "not a sound file"),
    "zero": ({"audio": good, "start": 0.5, "end": 0.9}, "end after start"),
    "after": ({"audio": good, "start": 5.0, "end": 6.0}, "after the end of the recording"),
}
tasks = []
for name, (fields, _) in broken.items():
    tasks.append({"id": name, "kind": "transcribe", "language": "en", **fields})
    tasks.append({"id": f"ok-{name}", "kind": "transcribe", "language": "en", "audio": good})
db = make_queue(tasks, tmp, broken={"missing", "cut", "text"})
# start == end cannot be imported (the import refuses it); a store or
# server from before that check could still hold one.
with sqlite3.connect(db) as c:
    data = json.loads(c.execute("SELECT data FROM tasks WHERE id = 'zero'").fetchone()[0])
    data["end"] = data["start"]
    c.execute("UPDATE tasks SET data = ? WHERE id = 'zero'", (json.dumps(data),))
bad_import = os.path.join(tmp, "zero.jsonl")
with open(bad_import, "w") as f:
    f.write(json.dumps({"id": "z", "kind": "transcribe", "audio": good, "start": 1, "end": 1}) + "\n")
from annolab_ui import queue  # noqa: E402
r = queue(os.path.join(tmp, "other.db"), "import", bad_import, check=False)
tap.ok(r.returncode != 0 and "end after start" in r.stderr,
       f"importing a segment with start == end is refused with a reason: {r.stderr.strip()!r}")

speech_log = os.path.join(tmp, "speech.log")
event_log = os.path.join(tmp, "events.log")
app = App("--local", db, "--no-demo", "--voice", "--speech-log", speech_log, "--event-log", event_log)


def events(kind):
    if not os.path.exists(event_log):
        return []
    with open(event_log) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.split("\t")[1:2] == [kind]]


try:
    for name, (_, problem) in broken.items():
        if name != "zero":
            notice = app.find(contains="This task cannot be shown", timeout=15)
            text = (notice.name or text_of(notice)) if notice else ""
            tap.ok(problem in text and "next task is loading" in text,
                   f"{name}: the window says what is wrong: {text!r}")
        shown = wait_until(lambda: any(e[2] == f"ok-{name}" for e in events("task-shown")), 10)
        view = app.wait_focused(pyatspi.ROLE_TEXT)
        tap.ok(shown and view is not None, f"{name}: the next task loads, with the text field focused")
        type_text("ok")
        wait_until(lambda: text_of(view) == "ok", 3)
        key("ctrl+Return")
        wait_until(lambda: any(r["task_id"] == f"ok-{name}" for r in export(db)), 10)
    tap.ok(app.find(contains="no tasks left", timeout=15) is not None, "all tasks are done")

    def said():
        if not os.path.exists(speech_log):
            return []
        with open(speech_log) as f:
            return [line.rstrip("\n").split("\t") for line in f]

    def all_said():
        texts = [s[3] for s in said() if s[1] == "important"]
        return all(any(p in t and "cannot be shown" in t for t in texts)
                   for n, (_, p) in broken.items() if n != "zero")
    tap.ok(wait_until(all_said, 60), "each problem is said, as important speech: "
           f"{[s[3][:60] for s in said() if s[1] == 'important']}")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

with sqlite3.connect(db) as c:
    rows = dict(c.execute("SELECT id, broken FROM tasks WHERE broken IS NOT NULL").fetchall())
tap.ok(set(rows) == set(broken), f"exactly the broken tasks are marked broken in the store: {sorted(rows)}")
for name, (_, problem) in broken.items():
    tap.ok(problem in (rows.get(name) or ""), f"{name}: the store keeps the reason: {rows.get(name)!r}")
done = sorted(r["task_id"] for r in export(db))
tap.ok(done == sorted(f"ok-{n}" for n in broken), f"the good tasks are exported as done: {done}")
reported = sorted(e[2] for e in events("task-broken")) if os.path.exists(event_log) else []
shutil.rmtree(tmp, ignore_errors=True)
tap.ok(reported == sorted(n for n in broken if n != "zero"),
       f"each broken recording is reported once by the window: {reported}")
tap.done()
