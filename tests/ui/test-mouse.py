#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The box editor with a mouse, for sighted workers who prefer one: a drag
on empty space draws a box, a drag inside moves it, a drag on its corner
resizes it. The pointer is moved by xdotool (XTEST), as a real mouse would."""
import os
import subprocess
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-mouse-")
W, H = 600, 400  # coffee.jpg
db = make_queue([{"id": "m1", "kind": "bbox", "image": os.path.join(DEMO, "images", "coffee.jpg"),
                  "labels": ["kopje"], "instructions": {"nl": "Teken een box.", "en": "Draw a box."}}],
                tmp)


def drag(x1, y1, x2, y2):
    subprocess.run(["xdotool", "mousemove", str(x1), str(y1), "mousedown", "1"], check=True)
    for i in range(1, 11):
        subprocess.run(["xdotool", "mousemove", str(x1 + (x2 - x1) * i // 10),
                        str(y1 + (y2 - y1) * i // 10)], check=True)
        time.sleep(0.02)
    subprocess.run(["xdotool", "mouseup", "1"], check=True)
    time.sleep(0.3)


def description(node):
    try:
        return node.description or ""
    except Exception:
        return ""


app = App("--local", db, "--no-demo")
try:
    canvas = app.wait_focused(pyatspi.ROLE_IMAGE)
    tap.ok(canvas is not None, "the box task opens")
    time.sleep(0.5)
    # Without a window manager the window sits at 0,0: window coordinates
    # are screen coordinates.
    ext = canvas.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    scale = min(ext.width / W, ext.height / H)
    ox = ext.x + (ext.width - W * scale) / 2
    oy = ext.y + (ext.height - H * scale) / 2

    def at(px, py):
        return int(ox + px * scale), int(oy + py * scale)

    drag(*at(100, 100), *at(300, 250))
    tap.ok(wait_until(lambda: "Box 1 of 1" in description(canvas), 3),
           f"a drag on empty space draws a box: {description(canvas)!r}")
    key("1")
    drag(*at(200, 175), *at(250, 195))
    tap.ok(wait_until(lambda: "25% from left" in description(canvas), 3),
           f"a drag inside moves it: {description(canvas)!r}")
    drag(*at(350, 270), *at(400, 300))
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10) is not None, "the box is submitted")
finally:
    app.close()

box = (export(db) or [{}])[0].get("result", {}).get("boxes", [{}])[0]
# Drawn at (100,100)-(300,250), moved by (50,20), bottom-right corner pulled by (50,30).
want = {"x": 150, "y": 120, "w": 250, "h": 180}
tap.ok(box.get("label") == "kopje" and all(abs(box.get(k, -99) - v) <= 4 for k, v in want.items()),
       f"draw, move and resize give {want} within a few pixels: {box}")
tap.done()
