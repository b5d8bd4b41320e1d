#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The recording around a segment, for context, on real speech: Ctrl+Shift+Left
plays what came just before the segment, Ctrl+Shift+Right what comes just
after, and both leave the segment where it was. A segment that is a whole
recording says that there is nothing around it."""
import os
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-context-")


def plays(path):
    """(start ms, stop ms) of each stretch of playback in the event log."""
    out, start = [], None
    for e in lines(path):
        if e[1] == "playback-start":
            start = int(e[0])
        elif e[1] == "playback-stop" and start is not None:
            out.append((start, int(e[0])))
            start = None
    return out


# A 2-second segment from 2.0 s into a 7.1-second LibriVox recording.
db = make_queue([{"id": "c1", "kind": "transcribe", "language": "en", "start": 2.0, "end": 4.0,
                  "audio": os.path.join(DEMO, "audio", "austen-0870.wav")}], tmp)
events = os.path.join(tmp, "events.log")
app = App("--local", db, "--no-demo", "--event-log", events)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the segment opens")
    time.sleep(0.5)
    key("ctrl+shift+Left")
    tap.ok(wait_until(lambda: len(plays(events)) == 1, 6), "Ctrl+Shift+Left plays and stops by itself")
    p = plays(events)
    length = (p[0][1] - p[0][0]) / 1000 if p else 0
    tap.ok(1.5 <= length <= 2.8, f"it plays the 2 seconds before the segment ({length:.2f} s)")
    tap.ok(app.find(contains="Paused · 0.0 of 2.0 s", timeout=3) is not None,
           "the segment is still at its start")

    key("ctrl+shift+Right")
    tap.ok(wait_until(lambda: len(plays(events)) == 2, 6), "Ctrl+Shift+Right plays and stops by itself")
    p = plays(events)
    length = (p[1][1] - p[1][0]) / 1000 if len(p) > 1 else 0
    tap.ok(2.5 <= length <= 3.8, f"it plays the 3 seconds after the segment ({length:.2f} s)")

    key("ctrl+space")
    tap.ok(wait_until(lambda: len(plays(events)) == 3, 6), "the segment itself still plays to its end")
    p = plays(events)
    length = (p[2][1] - p[2][0]) / 1000 if len(p) > 2 else 0
    tap.ok(1.5 <= length <= 2.8, f"for its own 2 seconds ({length:.2f} s)")
finally:
    app.close()

# A whole recording: nothing around it, and voice mode says so.
tmp2 = tempfile.mkdtemp(prefix="annolab-context-")
db = make_queue([{"id": "w1", "kind": "transcribe", "language": "en",
                  "audio": os.path.join(DEMO, "audio", "cards-001.wav")}], tmp2)
log = os.path.join(tmp2, "speech.log")
app = App("--local", db, "--no-demo", "--voice", "--speech-log", log)
try:
    app.wait_focused(pyatspi.ROLE_TEXT)
    time.sleep(3)
    key("ctrl+shift+Left")
    said = wait_until(lambda: [e for e in lines(log) if "Nothing comes before this segment." in e[-1]], 5)
    tap.ok(bool(said), "a whole recording has nothing before it, and that is said")
finally:
    app.close()
tap.done()
