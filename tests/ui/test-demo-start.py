#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A first-time participant starts on the demo: the first task is a
practice task on a photo with at most two objects, and its instructions
say how to move a box and how to make it larger or smaller."""
import json
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, skip_unless_desktop

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-demo-")
db = os.path.join(tmp, "fresh.db")  # an empty queue gets the demo tasks
with open(os.path.join(DEMO, "tasks.jsonl")) as f:
    demo = {t["id"]: t for t in map(json.loads, f)}

app = App("--local", db, "--participant", "newcomer")
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the demo opens on a box task")
    intro = app.find(contains="Practice:", timeout=5)
    words = (intro.name or "") if intro else ""
    tap.ok(intro is not None, "the instructions say that it is practice")
    text = app.find(contains="Ctrl and an arrow", timeout=2)
    tap.ok(text is not None and "larger or smaller" in (text.name or ""),
           "the instructions explain how to make the box larger or smaller")
    key("n")
    key("1")
    key("ctrl+Return")
    tap.ok(app.find(contains="Saved.", timeout=10) is not None, "the first task is submitted")
finally:
    app.close()

results = export(db)
first = demo.get(results[0]["task_id"], {}) if results else {}
tap.ok(first.get("training") is True, f"the first task served is a practice task: {first.get('id')}")
tap.ok(1 <= len(first.get("gold", {}).get("boxes", [])) <= 2,
       f"with at most two objects to box: {first.get('gold')}")
order = [t for t in demo.values() if t.get("training")]
tap.ok(order and all(len(t.get("gold", {}).get("boxes", [])) <= 2 for t in order if t["kind"] == "bbox"),
       "every practice photo in the demo has one or two objects")
tap.done()
