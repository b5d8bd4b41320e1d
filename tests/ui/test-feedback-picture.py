#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""After a scored box task the photo stays on screen with the participant's
boxes (solid) and the reference (dashed, with a legend), and the words say
what differs: a box drawn too small is "too small", not "missing". The
feedback is spoken once, stays with its own photo, and Ctrl+Enter goes on
to the next task without carrying it along."""
import os
import subprocess
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, queue, skip_unless_desktop, text_of, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-picture-")
shots = os.environ.get("ANNOLAB_SHOTS", tmp)
db = make_queue([
    {"id": "horse", "kind": "bbox", "image": os.path.join(DEMO, "images", "horse.png"), "training": True,
     "labels": ["horse"], "gold": {"boxes": [{"label": "horse", "x": 18, "y": 8, "w": 372, "h": 307}]}},
    {"id": "next", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "cards-001.wav"),
     "language": "en"},
], tmp)
log = os.path.join(tmp, "speech.log")
# Pia has low vision: she works with speech and the photo, as her coach allowed.
queue(db, "user", "add", "pia", "--role", "participant")
queue(db, "user", "set", "pia", "voice_images", "true")


def shot(name):
    path = os.path.join(shots, name)
    subprocess.run(["import", "-window", "root", path], check=True)
    return path


def reference_pixels(path):
    """The share of the screen in the dashed reference colour."""
    out = subprocess.run(["convert", path, "-fuzz", "12%", "-fill", "black", "+opaque", "rgb(77,230,255)",
                          "-fill", "white", "-opaque", "rgb(77,230,255)", "-format", "%[fx:mean]", "info:"],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def said(text):
    with open(log) as f:
        return sum(text in line for line in f)


app = App("--local", db, "--no-demo", "--voice", "--participant", "pia", "--speech-log", log)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the box task opens")
    key("n")  # a fifth of the photo, in the middle: inside the horse, far too small
    key("1")
    before = reference_pixels(shot("before.png"))
    key("ctrl+Return")
    words = app.find(contains="too small", timeout=10)
    text = (words.name or "") + text_of(words) if words else ""
    tap.ok(words is not None, f"the feedback says the box was too small: {text!r}")
    tap.ok("without a box" not in text and app.find(contains="without a box", timeout=0.5) is None,
           "and does not call the horse missing")
    tap.ok(app.find(contains="Solid line: your boxes. Dashed line", timeout=2) is not None,
           "a legend tells the two kinds of line apart")
    tap.ok(app.find(contains="Press Ctrl+Enter for the next task", timeout=2) is not None,
           "the window says how to go on")
    picture = shot("feedback.png")
    after = reference_pixels(picture)
    tap.ok(before < 0.0005 < after, f"the dashed reference box is drawn on the photo "
           f"({before:.4f} → {after:.4f} of the screen; {picture})")
    focused = app.focused()
    tap.ok(focused is not None and focused.getRole() == pyatspi.ROLE_IMAGE,
           "the photo keeps the keyboard, the next task is not open yet")
    tap.ok(wait_until(lambda: said("too small") == 1, 10), "the feedback is spoken once")
    key("ctrl+i")
    tap.ok(app.find(contains="Feedback on task 1 today", timeout=5) is not None,
           "Ctrl+I says that this is the feedback on task 1")
    key("ctrl+Return")
    field = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(field is not None, "Ctrl+Enter opens the next task")
    top = field.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y if field else 0
    above = [(n.name or "") + text_of(n) for n in app.all()
             if n.getRole() in (pyatspi.ROLE_LABEL, pyatspi.ROLE_NOTIFICATION, pyatspi.ROLE_ALERT)
             and n.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y < top]
    tap.ok(field is not None and not any("too small" in t or "Press Ctrl+Enter for the next task" in t for t in above),
           f"the feedback does not stay above the next task: {above}")
finally:
    app.close()
tap.done()
