#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One box task and one transcription task, done with the keyboard alone
through AT-SPI in the real window; the results are read back with
annolab-queue export."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    type_text, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-skeleton-")
W, H = 600, 400  # coffee.jpg
db = make_queue([
    {"id": "box-1", "kind": "bbox", "image": os.path.join(DEMO, "images", "coffee.jpg"),
     "labels": ["cup", "spoon"], "instructions": {"nl": "Teken een box.", "en": "Draw a box."}},
    {"id": "speech-1", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "cards-001.wav"),
     "start": 0, "end": 1.09, "language": "en"},
], tmp)

app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    canvas = app.wait_focused(pyatspi.ROLE_IMAGE) or app.focused()
    tap.ok(canvas is not None, "the box task opens with its editor focused")
    key("n")
    key("1")
    key("ctrl+Return")

    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None, "the transcription task opens with the text field focused")
    key("ctrl+space")
    type_text("hello world")
    tap.ok(wait_until(lambda: text_of(view) == "hello world", 5), "the typed text is in the field")
    key("ctrl+Return")

    done = app.find(contains="no tasks left", timeout=10 * app.slow)
    tap.ok(done is not None, "the window says that no tasks are left")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly with Ctrl+Q (exit status {status})")

results = {r["task_id"]: r for r in export(db)}
tap.ok(set(results) == {"box-1", "speech-1"}, f"both results are exported: {sorted(results)}")
box = results.get("box-1", {}).get("result", {}).get("boxes", [{}])
b = box[0] if box else {}
tap.ok(len(box) == 1 and b.get("label") == "cup", f"one box with label 1 (cup): {box}")
tap.ok(all(abs(b.get(k, -99) - v) <= 1 for k, v in
           {"x": 0.4 * W, "y": 0.4 * H, "w": 0.2 * W, "h": 0.2 * H}.items()),
       f"the box is at (40%, 40%, 20%, 20%) of the image within a pixel: {b}")
tap.ok(results.get("speech-1", {}).get("result", {}).get("text") == "hello world",
       "the transcript is stored as typed")
tap.ok(all(r["participant"] == "tester" and r["lead_time_ms"] > 0 for r in results.values()),
       "results carry the participant and a lead time")
tap.done()
