#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bounding boxes with the keyboard alone, through AT-SPI in the real window,
on real photos of different sizes: new box, moves by 1%, by one pixel, the
four edges, labels, Tab between boxes, Delete, undo, grid targeting, and an
unlabelled box that blocks submit with an explanation. Every result is read
back with annolab-queue export and compared in image pixels."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-boxes-")

# Real photos from data/demo/images, each a different size.
PHOTOS = {
    "rocket": ("rocket.jpg", 640, 427),
    "motorcycle": ("motorcycle_left.jpg", 741, 500),
    "unlabelled": ("chelsea.jpg", 451, 300),
    "horse": ("horse.png", 400, 328),
    "grid": ("astronaut.jpg", 512, 512),
}
LABELS = ["first", "second", "third"]
db = make_queue([
    {"id": tid, "kind": "bbox", "image": os.path.join(DEMO, "images", f), "labels": LABELS,
     "instructions": {"nl": "Teken een box.", "en": "Draw a box."}}
    for tid, (f, _, _) in PHOTOS.items()
], tmp)


def description(node):
    try:
        return node.description or ""
    except Exception:
        return ""


def canvas_of(app):
    return app.find(role=pyatspi.ROLE_IMAGE, name="Photo with boxes", timeout=10 * app.slow)


def wait_desc(canvas, part, timeout=5):
    return wait_until(lambda: part in description(canvas), timeout)


def wait_task(app, canvas, previous=None):
    """Wait until a new image is shown (the canvas invites a new box)."""
    # The task's instructions come first, until the first box.
    return wait_until(lambda: "No boxes yet" in description(canvas), 10 * app.slow)


app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    canvas = canvas_of(app)
    tap.ok(canvas is not None and app.wait_focused(pyatspi.ROLE_IMAGE) is not None,
           "the first box task opens with the photo focused")
    tap.ok(wait_task(app, canvas), f"the photo invites a new box: {description(canvas)!r}")

    # 1. rocket: N, 1, Ctrl+Enter.
    key("n")
    tap.ok(wait_desc(canvas, "Box 1 of 1, no label yet, 40% from left, 40% from top, 20% wide, "
                             "20% high"),
           f"N makes a box in the middle, described for screen readers: {description(canvas)!r}")
    key("1")
    tap.ok(wait_desc(canvas, "Box 1 of 1, first,"), f"1 gives it label 1: {description(canvas)!r}")
    key("ctrl+Return")

    # 2. motorcycle: N, five Right, five Ctrl+Down, 2, Ctrl+Enter.
    tap.ok(wait_task(app, canvas), "after submit the next photo is shown")
    key("n")
    wait_desc(canvas, "40% from left")
    before = description(canvas)
    key("Right")
    tap.ok(wait_desc(canvas, "41% from left"),
           f"the description follows the box when it moves: {before!r} -> {description(canvas)!r}")
    for _ in range(4):
        key("Right")
    for _ in range(5):
        key("ctrl+Down")
    key("2")
    tap.ok(wait_desc(canvas, "Box 1 of 1, second, 45% from left, 40% from top, 20% wide, "
                             "25% high"), f"five Right, five Ctrl+Down, 2: {description(canvas)!r}")
    key("ctrl+Return")

    # 3. chelsea: an unlabelled box blocks submit, with an explanation.
    tap.ok(wait_task(app, canvas), "the third photo is shown")
    key("n")
    wait_desc(canvas, "no label yet")
    key("ctrl+Return")
    notice = app.find(contains="has no label yet", timeout=5)
    tap.ok(notice is not None, "submit with an unlabelled box is refused with an explanation")
    try:
        visible = notice is not None and notice.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        visible = False
    tap.ok(visible, "the explanation is on screen")
    said = [n for n in app.all() if "press a key from 1 to 3" in (n.name or "")]
    tap.ok(said, "the explanation is in an accessible name, and says which keys to press: "
           f"{[n.name for n in said]}")
    tap.ok("Box 1 of 1, no label yet" in description(canvas),
           f"the task stays, with the unlabelled box selected: {description(canvas)!r}")
    key("3")
    tap.ok(wait_desc(canvas, "Box 1 of 1, third,"), "a label is given")
    key("ctrl+Return")

    # 4. horse: one-pixel moves, left and top edges, Tab, Delete, undo.
    tap.ok(wait_task(app, canvas), "the fourth photo is shown")
    key("n")  # A: 160, 131.2, 80, 65.6
    for _ in range(3):
        key("alt+Right")
    for _ in range(2):
        key("alt+Down")
    for _ in range(2):
        key("ctrl+shift+Left")  # left edge 2% (8 px) out: x 155, w 88
    key("ctrl+shift+Up")  # top edge 1% (3.28 px) up: y 129.92, h 68.88
    key("1")
    tap.ok(wait_desc(canvas, "Box 1 of 1, first, 39% from left, 40% from top, 22% wide, 21% high"),
           f"Alt+arrows move a pixel, Ctrl+Shift+arrows the left and top edges: "
           f"{description(canvas)!r}")
    key("n")  # B
    key("shift+Right")  # 10%: x 200
    key("2")
    tap.ok(wait_desc(canvas, "Box 2 of 2, second, 50% from left"), "a second box, moved 10% right")
    key("n")  # C, deleted again
    tap.ok(wait_desc(canvas, "Box 3 of 3"), "a third box")
    key("Delete")
    tap.ok(wait_desc(canvas, "Box 2 of 2, second"),
           f"Delete removes it and selects the one before: {description(canvas)!r}")
    key("ctrl+z")
    tap.ok(wait_desc(canvas, "Box 3 of 3, no label yet"), "Ctrl+Z brings the deleted box back")
    key("ctrl+z")
    tap.ok(wait_desc(canvas, "Box 2 of 2, second"), "Ctrl+Z again undoes its creation")
    key("Escape")
    tap.ok(wait_desc(canvas, "2 boxes, none selected"), "Escape selects nothing")
    key("Tab")
    tap.ok(wait_desc(canvas, "Box 1 of 2, first"), "Tab selects the first box in reading order")
    key("Tab")
    tap.ok(wait_desc(canvas, "Box 2 of 2, second"), "Tab again selects the next box")
    key("Tab")
    left = wait_until(lambda: (app.focused() is not None
                               and app.focused().getRole() != pyatspi.ROLE_IMAGE), 5)
    tap.ok(left, "Tab past the last box leaves the photo: the keyboard is not trapped")
    key("shift+Tab")
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE, 5) is not None
           and "Box 2 of 2, second" in description(canvas),
           "Shift+Tab comes back to the photo, the box still selected")
    key("shift+Tab")
    tap.ok(wait_desc(canvas, "Box 1 of 2, first"), "Shift+Tab goes back")
    key("Right")
    tap.ok(wait_desc(canvas, "Box 1 of 2, first, 40% from left"), "Right moves the selected box")
    key("ctrl+z")
    tap.ok(wait_desc(canvas, "Box 1 of 2, first, 39% from left"), "Ctrl+Z undoes the move")
    key("ctrl+Return")

    # 5. astronaut: grid targeting, G + digits + Enter for both corners.
    tap.ok(wait_task(app, canvas), "the fifth photo is shown")
    key("g")
    key("7")
    key("Return")  # first corner: the middle of the top-left cell (1/6, 1/6)
    key("g")
    key("3")
    key("1")
    key("Return")  # second corner: cell 3, then its bottom-left cell (13/18, 17/18)
    tap.ok(wait_desc(canvas, "Box 1 of 1, no label yet, 17% from left, 17% from top"),
           f"the grid places both corners of a new box: {description(canvas)!r}")
    key("2")
    key("ctrl+Return")

    done = app.find(contains="no tasks left", timeout=10 * app.slow)
    tap.ok(done is not None, "after five photos no tasks are left")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

results = {r["task_id"]: r["result"]["boxes"] for r in export(db)}
tap.ok(set(results) == set(PHOTOS), f"all five results are exported: {sorted(results)}")


def check(tid, expected):
    """expected: list of (label, x, y, w, h) in fractions of the image."""
    _, w, h = PHOTOS[tid]
    got = results.get(tid, [])
    ok = len(got) == len(expected)
    for b, (label, fx, fy, fw, fh) in zip(got, expected):
        ok = ok and b.get("label") == label
        ok = ok and all(abs(b.get(k, -99) - v) <= 1 for k, v in
                        {"x": fx * w, "y": fy * h, "w": fw * w, "h": fh * h}.items())
    want = [(label, round(fx * w, 2), round(fy * h, 2), round(fw * w, 2), round(fh * h, 2))
            for label, fx, fy, fw, fh in expected]
    tap.ok(ok, f"{tid} ({w}×{h}): {got} is {want} within a pixel")


check("rocket", [("first", 0.40, 0.40, 0.20, 0.20)])
check("motorcycle", [("second", 0.45, 0.40, 0.20, 0.25)])
check("unlabelled", [("third", 0.40, 0.40, 0.20, 0.20)])
check("horse", [("first", 155 / 400, 129.92 / 328, 88 / 400, 68.88 / 328),
                ("second", 0.50, 0.40, 0.20, 0.20)])
check("grid", [("second", 1 / 6, 1 / 6, 13 / 18 - 1 / 6, 17 / 18 - 1 / 6)])
tap.done()
