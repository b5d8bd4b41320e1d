#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Ctrl+Enter on an answer that is empty, or shorter than the practice
task asks for, is not stored at once: the window says what is missing and
takes the same answer on a second Ctrl+Enter. An empty transcript names the
silence mark in the recording's language."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, type_text, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-empty-")
images = os.path.join(DEMO, "images")
db = make_queue([
    {"id": "practice", "kind": "bbox", "image": os.path.join(images, "camera.jpg"), "training": True,
     "labels": ["persoon", "camera"],
     "gold": {"boxes": [{"label": "persoon", "x": 0, "y": 64, "w": 332, "h": 448},
                        {"label": "camera", "x": 252, "y": 136, "w": 74, "h": 56}]}},
    {"id": "empty", "kind": "bbox", "image": os.path.join(images, "moon.png"), "labels": ["krater"]},
    {"id": "clip", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "cards-001.wav"),
     "language": "en"},
], tmp)


def stored():
    return [r["task_id"] for r in export(db)]


app = App("--local", db, "--no-demo", lang="nl")
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the practice task opens")
    key("n")
    key("1")
    key("ctrl+Return")
    told = app.find(contains="maar op deze foto horen 2 objecten", timeout=5)
    tap.ok(told is not None, f"one box of two: the window says how many are wanted: "
           f"{told.name if told else None!r}")
    tap.ok(stored() == [], "and nothing is stored yet")
    key("n")
    key("2")
    key("ctrl+Return")
    tap.ok(app.find(contains="Bewaard.", timeout=10) is not None, "with both boxes it is saved at once")
    key("ctrl+Return")  # past the feedback picture of the practice task

    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the next box task opens")
    app.find(contains="krater", timeout=5)
    key("ctrl+Return")
    told = app.find(contains="nog geen box getekend", timeout=5)
    tap.ok(told is not None and "nog een keer op Ctrl+Enter" in (told.name or ""),
           f"no boxes: the window says so and how to send it anyway: {told.name if told else None!r}")
    tap.ok(stored() == ["practice"], f"the empty answer is not stored on the first Ctrl+Enter: {stored()}")
    key("ctrl+Return")
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the second Ctrl+Enter sends it")

    key("ctrl+Return")
    told = app.find(contains="Het tekstvak is nog leeg", timeout=5)
    words = told.name if told else ""
    tap.ok("[silence]" in words and "[stilte]" not in words,
           f"an English clip asks for [silence], also on a Dutch screen: {words!r}")
    tap.ok("Alt+3" in words, f"and names its key: {words!r}")

    def showing(part):
        return [n for n in app.all() if part in (n.name or "")]
    before = len(showing("Het tekstvak is nog leeg"))
    type_text("x")
    gone = wait_until(lambda: len(showing("Het tekstvak is nog leeg")) < before, 3)
    tap.ok(gone, f"typing answers it: the notice goes ({before} places said it)")
finally:
    app.close()
results = {r["task_id"]: r["result"] for r in export(db)}
tap.ok(len(results.get("practice", {}).get("boxes", [])) == 2, "the practice answer has two boxes")
tap.ok(results.get("empty") == {"boxes": []}, f"the confirmed empty answer is stored empty: {results.get('empty')}")
tap.ok("clip" not in results, "the empty transcript is not stored")
tap.done()
