#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Broken photos in the real window: a missing file, a text file named .png,
a JPEG cut short and a PNG whose header claims 20000 × 20000 pixels. Each
gives a clear message, is reported to the queue as broken, and the next task
loads; the workstation never crashes. The files are made here, at test
time."""
import os
import sqlite3
import struct
import subprocess
import tempfile
import zlib

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-broken-")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


missing = os.path.join(tmp, "missing.jpg")
text = os.path.join(tmp, "notes.png")
with open(text, "w") as f:
    f.write("This is a shopping list, not a picture.\n")
truncated = os.path.join(tmp, "truncated.jpg")
with open(truncated, "wb") as f:
    subprocess.run(["head", "-c", "20000", os.path.join(DEMO, "images", "rocket.jpg")], stdout=f,
                   check=True)
huge = os.path.join(tmp, "huge.png")
with open(huge, "wb") as f:
    # A valid 20000 × 20000 RGB header (1.2 GB once decoded) and hardly any data.
    f.write(b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 1000))
            + png_chunk(b"IEND", b""))

# Every broken photo is followed by a good one, so each message can be read
# on the screen where it is shown.
BROKEN = {
    "missing": (missing, "is missing"),
    "text": (text, "not a picture annolab can read"),
    "truncated": (truncated, "the file ends too early"),
    "huge": (huge, "too large (20000 × 20000 pixels"),
}
GOOD = ["coins.png", "coffee.jpg", "horse.png", "chelsea.jpg"]
tasks = []
for (tid, (path, _)), photo in zip(BROKEN.items(), GOOD):
    tasks.append({"id": f"broken-{tid}", "kind": "bbox", "image": path, "labels": ["thing"]})
    tasks.append({"id": f"good-{tid}", "kind": "bbox", "image": os.path.join(DEMO, "images", photo),
                  "labels": ["thing"]})
db = make_queue(tasks, tmp, broken={f"broken-{tid}" for tid in BROKEN})


def description(node):
    try:
        return node.description or ""
    except Exception:
        return ""


app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    canvas = app.find(role=pyatspi.ROLE_IMAGE, name="Photo with boxes", timeout=10 * app.slow)
    for tid, (path, reason) in BROKEN.items():
        name = os.path.basename(path)
        notice = wait_until(lambda: app.find(contains=f"{name} ", timeout=0.2), 10 * app.slow)
        said = (notice.name or "") if notice else ""
        try:
            said += notice.queryText().getText(0, notice.queryText().characterCount)
        except Exception:
            pass
        tap.ok(notice is not None and reason in said and "cannot be shown" in said,
               f"{name}: the window says why the task cannot be shown: {said!r}")
        shown = wait_until(lambda: description(canvas).startswith("No boxes yet"), 10 * app.slow)
        tap.ok(shown, f"after {name} the next task, a good photo, is shown and focused "
                      f"({description(canvas)!r})")
        tap.ok(app.proc.poll() is None, f"the workstation is still running after {name}")
        key("n")
        key("1")
        wait_until(lambda: "Box 1 of 1, thing" in description(canvas), 5)
        key("ctrl+Return")
        # On to the next task before looking for its message.
        wait_until(lambda: "Box 1 of 1" not in description(canvas), 10 * app.slow)
    done = app.find(contains="no tasks left", timeout=10 * app.slow)
    tap.ok(done is not None, "all good tasks are done, and no tasks are left")
finally:
    log = app.stderr()
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")
tap.ok("CRITICAL" not in log and "segfault" not in log.lower(),
       f"no critical warnings on the way: {[l for l in log.splitlines() if 'CRITICAL' in l][:3]}")

results = {r["task_id"] for r in export(db)}
tap.ok(results == {f"good-{t}" for t in BROKEN}, f"the four good photos have results: {sorted(results)}")
with sqlite3.connect(db) as con:
    broken = dict(con.execute("SELECT id, broken FROM tasks WHERE broken IS NOT NULL"))
for tid, (path, reason) in BROKEN.items():
    tap.ok(reason in (broken.get(f"broken-{tid}") or ""),
           f"broken-{tid} is reported to the queue as broken: {broken.get(f'broken-{tid}')!r}")
tap.ok(set(broken) == {f"broken-{t}" for t in BROKEN}, f"and only those: {sorted(broken)}")
tap.done()
