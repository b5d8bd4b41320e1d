#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A video clip to classify, with the keyboard alone: the clip (made here
from a demo photo and a demo recording) is shown in the task's picture
while its sound plays, a digit picks, Ctrl+Enter submits, and the answer is
read back with annolab-queue export."""
import os
import subprocess
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_clip, make_queue, skip_unless_desktop, spread, \
    wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-classify-video-")
clip = os.path.join(tmp, "cat.webm")
make_clip(clip, os.path.join(DEMO, "images", "chelsea.jpg"), os.path.join(DEMO, "audio", "cards-002.wav"))
db = make_queue([{"id": "clip", "kind": "classify", "video": clip, "start": 0, "end": 2,
                  "choices": ["kat", "hond"], "instructions": {"en": "Which animal is this?",
                                                               "nl": "Welk dier is dit?"}}], tmp)
event_log = os.path.join(tmp, "events.log")



app = App("--local", db, "--no-demo", "--participant", "tester", "--event-log", event_log)
try:
    first = app.wait_focused(pyatspi.ROLE_PUSH_BUTTON)
    tap.ok(first is not None and first.name == "1: kat", "the clip's first choice has the keyboard")
    video = app.find(role=pyatspi.ROLE_IMAGE, name="Video", timeout=5)
    tap.ok(video is not None, "the clip has its place on the screen, named Video")
    tap.ok(app.find(contains="Video clip, 2 seconds", timeout=3) is not None, "and its length is told")
    key("ctrl+space")
    tap.ok(wait_until(lambda: [e for e in lines(event_log) if e[1] == "playback-start" and e[2] == "clip"], 10),
           "Ctrl+Space plays the clip")
    wait_until(lambda: False, 0.8)
    shot = os.path.join(tmp, "shot.png")
    subprocess.run(["import", "-window", "root", shot], check=True)
    x, y, w, h = video.queryComponent().getExtents(pyatspi.WINDOW_COORDS) if video else (0, 0, 0, 0)
    inner = (x + w // 4, y + h // 4, max(w // 2, 1), max(h // 2, 1))
    tap.ok(w > 100 and h > 100 and spread(shot, *inner) > 0.05,
           f"the clip's pictures are drawn ({w}×{h}, spread {spread(shot, *inner) if w else 0:.3f})")
    tap.ok(wait_until(lambda: [e for e in lines(event_log) if e[1] == "playback-stop" and e[2] == "clip"
                               and float(e[3]) >= 1.5], 10), "the clip plays to its end")
    key("1")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10) is not None, "1 picks, Ctrl+Enter submits")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")
results = export(db)
tap.ok(results and results[0]["result"] == {"choices": ["kat"]}, f"the answer is read back: {results}")
tap.done()
