#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Proposed face tracks on a video with the keyboard alone: a clip panning
over the astronaut's face (tests/preannotate/make-face-clip.py) gets its
proposal from the real cascade (annolab-queue pre-annotate --with faces);
in the video box editor the proposed track is described as a proposal,
dashed, with its confidence. Ctrl+Enter with it unchecked asks first, Enter
accepts it; on the next task Escape and Tab visit it and Delete rejects it,
and N adds a track of one's own; on the third an arrow changes it. The
results' marks and origins are read back with annolab-queue export."""
import os
import sys
import tempfile

import pyatspi

from annolab_ui import App, Tap, export, key, make_queue, queue, skip_unless_desktop, \
    wait_until

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "preannotate"))
face_clip = __import__("make-face-clip")

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-proposal-video-")
clip = face_clip.make(os.path.join(tmp, "face.webm"))
db = make_queue([dict(clip, id=name) for name in ("v1", "v2", "v3")], tmp)
out = queue(db, "pre-annotate", "--with", "faces").stdout
tap.ok("stored 3 proposals with faces" in out, f"the cascade proposes tracks on the clip: {out!r}")


def description(node):
    try:
        return node.description or ""
    except Exception:
        return ""


def described(canvas, text, timeout=5):
    return wait_until(lambda: description(canvas) if text in description(canvas) else None, timeout)


app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    canvas = app.find(role=pyatspi.ROLE_IMAGE, name="Video frame with boxes", timeout=10 * app.slow)
    d = canvas and described(canvas, "model proposal, not checked yet", 10 * app.slow)
    tap.ok(d is not None and "Track 1 of 1, gezicht" in d and "90% sure" in d and
           "Enter accepts it" in d,
           f"v1 opens with the proposed track selected, as a proposal with its confidence: {d!r}")
    note = app.find(contains="Model proposal (opencv-haar", timeout=3)
    tap.ok(note is not None and "1 track to check" in (note.name or ""),
           f"a note says the track is the model's: {note.name if note else None!r}")
    key("ctrl+Return")
    notice = app.find(contains="1 proposed track is not checked yet", timeout=5)
    tap.ok(notice is not None and "press Ctrl+Enter again to send it as proposed" in (notice.name or ""),
           "Ctrl+Enter with the track unchecked says so and how to check it")
    key("Return")
    d = described(canvas, "model proposal, accepted")
    tap.ok(d is not None and "Enter accepts it" not in d, f"Enter accepts it: {d!r}")
    key("ctrl+Return")

    # v2: visited with Tab, rejected, a track of one's own added.
    tap.ok(described(canvas, "model proposal, not checked yet", 10 * app.slow) is not None,
           "v2 opens with its proposed track")
    key("Escape")
    tap.ok(described(canvas, "none selected") is not None, "Escape selects nothing")
    key("Tab")
    tap.ok(described(canvas, "model proposal, not checked yet") is not None,
           f"Tab visits the proposed track: {description(canvas)!r}")
    key("Delete")
    d = described(canvas, "No tracks yet")
    tap.ok(d is not None, f"Delete rejects it: the track is gone: {d!r}")
    key("n")
    key("1")
    tap.ok(described(canvas, "Track 1 of 1, gezicht, keyframe") is not None,
           f"N and 1 make a track of one's own: {description(canvas)!r}")
    key("ctrl+Return")

    # v3: an arrow changes the proposed track.
    tap.ok(described(canvas, "model proposal, not checked yet", 10 * app.slow) is not None,
           "v3 opens with its proposed track")
    key("Right")
    d = described(canvas, "model proposal, changed by you")
    tap.ok(d is not None and "gezicht, keyframe" in d, f"an arrow changes it, on a keyframe: {d!r}")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10) is not None, "all three tasks are done")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

results = {r["task_id"]: r["result"] for r in export(db)}


def mark(task):
    m = results.get(task, {}).get("proposal", {})
    return (m.get("model"), m.get("accepted"), m.get("changed"), m.get("added"), m.get("rejected"))


def origins(task):
    return [t.get("origin") for t in results.get(task, {}).get("tracks", [])]


tap.ok(mark("v1") == ("opencv-haar", 1, 0, 0, 0) and origins("v1") == ["proposed"],
       f"v1: the track accepted as proposed: {results.get('v1')}")
tap.ok(mark("v2") == ("opencv-haar", 0, 0, 1, 1) and origins("v2") == ["added"],
       f"v2: the proposal rejected, one track added: {results.get('v2')}")
tap.ok(mark("v3") == ("opencv-haar", 0, 1, 0, 0) and origins("v3") == ["changed"],
       f"v3: the track changed: {results.get('v3')}")
tap.done()
