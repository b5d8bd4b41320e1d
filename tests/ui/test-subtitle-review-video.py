#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A subtitle on a video programme, with the keyboard alone: the cue's span
(a clip made here from a demo photo and a demo recording) is seen in the
task's picture while it is heard, Ctrl+1 says the cue is right, Ctrl+Enter
submits, and the verdict is read back with annolab-queue export."""
import os
import subprocess
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_clip, make_queue, skip_unless_desktop, spread, \
    wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-review-video-")
clip = os.path.join(tmp, "programme.webm")
make_clip(clip, os.path.join(DEMO, "images", "astronaut.jpg"), os.path.join(DEMO, "audio", "cards-002.wav"))
db = make_queue([{"id": "cue", "kind": "subtitle-review", "video": clip, "start": 0, "end": 1.8,
                  "subtitle": "two of hearts", "language": "en"}], tmp)
event_log = os.path.join(tmp, "events.log")



app = App("--local", db, "--no-demo", "--participant", "tester", "--event-log", event_log)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_PUSH_BUTTON) is not None, "the review opens on its verdicts")
    video = app.find(role=pyatspi.ROLE_IMAGE, name="Video", timeout=5)
    tap.ok(video is not None, "the programme's picture has its place on the screen, named Video")
    key("ctrl+space")
    tap.ok(wait_until(lambda: [e for e in lines(event_log) if e[1] == "playback-start" and e[2] == "cue"], 10),
           "Ctrl+Space plays the cue's span")
    wait_until(lambda: False, 0.8)
    shot = os.path.join(tmp, "shot.png")
    subprocess.run(["import", "-window", "root", shot], check=True)
    if os.environ.get("ANNOLAB_SHOTS"):
        subprocess.run(["cp", shot, os.path.join(os.environ["ANNOLAB_SHOTS"], "subtitle-review-video.png")])
    x, y, w, h = video.queryComponent().getExtents(pyatspi.WINDOW_COORDS) if video else (0, 0, 0, 0)
    inner = (x + w // 4, y + h // 4, max(w // 2, 1), max(h // 2, 1))
    tap.ok(w > 100 and h > 100 and spread(shot, *inner) > 0.05,
           f"the programme's pictures are drawn ({w}×{h}, spread {spread(shot, *inner) if w else 0:.3f})")
    key("ctrl+1")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10) is not None, "Ctrl+1 judges, Ctrl+Enter submits")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")
results = export(db)
tap.ok(results and results[0]["result"].get("verdict") == "correct", f"the verdict is read back: {results}")
tap.done()
