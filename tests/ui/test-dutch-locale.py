#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workstation as a Dutch lab PC runs it: LANG=nl_NL.UTF-8 and nothing
else. The screen is Dutch with decimal commas, and what is stored and
logged for programs keeps decimal points, so the results come out exact."""
import os
import subprocess
import sys
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    type_text, wait_until

skip_unless_desktop()
if "nl_NL.utf8" not in subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout:
    print("1..0 # SKIP the nl_NL.UTF-8 locale is not installed (./test installs it)")
    sys.exit(77)

tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-nl-")
W, H = 600, 400  # coffee.jpg
db = make_queue([
    {"id": "b1", "kind": "bbox", "image": os.path.join(DEMO, "images", "coffee.jpg"),
     "labels": ["kopje"], "instructions": {"nl": "Teken een box om het kopje.", "en": "Draw a box."}},
    {"id": "t1", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "austen-0870.wav"),
     "start": 0.5, "end": 3.25, "language": "nl"},
], tmp)
events = os.path.join(tmp, "events.log")
app = App("--local", db, "--no-demo", "--event-log", events, lang=None,
          env={"LANG": "nl_NL.UTF-8"})
try:
    tap.ok(app.find(contains="Versturen (Ctrl+Enter)", timeout=10) is not None,
           "the window speaks Dutch")
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the box task opens")
    key("n")
    for _ in range(5):
        key("Right")
    key("1")
    key("ctrl+Return")

    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None, "the transcription task opens")
    label = app.find(contains=" van 2,8 s", timeout=5)
    tap.ok(label is not None, f"the length has a decimal comma: {label.name if label else None!r}")
    key("ctrl+space")
    tap.ok(wait_until(lambda: any(line.split("\t")[1] == "playback-start"
                                  for line in open(events) if "\t" in line), 5),
           "the recording plays")
    type_text("één, twee")
    tap.ok(wait_until(lambda: text_of(view) == "één, twee", 5), "the typed text is in the field")
    key("ctrl+Return")
    tap.ok(app.find(contains="geen taken meer", timeout=10) is not None,
           "the window says in Dutch that no tasks are left")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

results = {r["task_id"]: r["result"] for r in export(db)}
box = (results.get("b1") or {}).get("boxes") or [{}]
tap.ok(box[0] == {"label": "kopje", "x": 0.45 * W, "y": 0.4 * H, "w": 0.2 * W, "h": 0.2 * H},
       f"the box is stored exactly, with decimal points: {box}")
tap.ok((results.get("t1") or {}).get("text") == "één, twee", f"the transcript is stored: {results}")
positions = [line.rstrip("\n").split("\t")[3] for line in open(events)
             if line.count("\t") >= 3 and line.split("\t")[1].startswith("playback")]
tap.ok(positions and all("," not in p and float(p) >= 0 for p in positions),
       f"the event log keeps decimal points for programs: {positions}")
tap.done()
