#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""After a check (gold) or practice (training) task the participant gets
words, not a grade: what went well, one tip, the worked explanation, and
with F3 the reference answer."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, type_text

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-feedback-")
audio = os.path.join(DEMO, "audio")
db = make_queue([
    {"id": "practice", "kind": "transcribe", "audio": os.path.join(audio, "cards-005.wav"),
     "language": "en", "training": True, "gold": {"text": "eight of spades four of clubs seven of hearts"},
     "explanation": {"en": "Each card is a number and a suit.", "nl": "Elke kaart is een getal en een kleur."}},
    {"id": "check", "kind": "bbox", "image": os.path.join(DEMO, "images", "horse.png"),
     "labels": ["horse"], "gold": {"boxes": [{"label": "horse", "x": 18, "y": 8, "w": 372, "h": 307}]}},
], tmp)

app = App("--local", db, "--no-demo")
try:
    app.wait_focused(pyatspi.ROLE_TEXT)
    type_text("eight of spades four of clubs")
    key("ctrl+Return")
    notice = app.find(contains="Saved.", timeout=10)
    text = notice.name if notice else ""
    tap.ok(notice is not None, f"the practice task is saved: {text!r}")
    tap.ok("Each card is a number and a suit." in text, "the worked explanation follows")
    tap.ok("end" in text.lower() and "three words" in text.lower(),
           "the tip names what was missing and where")
    tap.ok("%" not in text and "WER" not in text, "the participant sees words, not a grade")
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the next task (a box task) opens")
    key("F3")
    ref = app.find(contains="reference transcript is: eight of spades four of clubs seven of hearts",
                   timeout=5)
    tap.ok(ref is not None, "F3 gives the reference answer of the last practice task")
    key("n")
    key("1")
    key("ctrl+Return")
    tap.ok(app.find(contains="Saved.", timeout=10) is not None, "the check task is scored and saved")
finally:
    app.close()
results = {r["task_id"]: r for r in export(db)}
tap.ok("score" in results.get("practice", {}) and "score" in results.get("check", {}),
       "both results carry their score for the coach")
tap.ok(0 < results["practice"]["score"]["score"] < 1, f"the practice score is partial: "
       f"{results['practice']['score']['score']}")
tap.done()
