#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Help and "where am I" have their own place: F1's list stays in its
dialog (not copied into the status line), Ctrl+I answers in the notice band
in large type. The photo does not move when notices and the status line
change, and a notice goes away after a while."""
import os
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-notices-")
db = make_queue([
    {"id": "b1", "kind": "bbox", "image": os.path.join(DEMO, "images", "coffee.jpg"),
     "labels": ["kopje", "lepel", "schotel"]},
], tmp)


def extents(node):
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return (e.x, e.y, e.width, e.height)


def above(app, part, y):
    """A node above the photo (the notice band) whose text holds part."""
    for n in app.all():
        try:
            # The window's title keeps the last notice, for screen readers.
            if n.getRole() == pyatspi.ROLE_FRAME:
                continue
            if part in (n.name or "") + text_of(n) and extents(n)[1] < y:
                return n
        except Exception:
            pass
    return None


def texts_in(app, root):
    return [(n.name or "") + " " + text_of(n) for n in app.all(root)]


def texts(app, role):
    out = []
    for n in app.all():
        try:
            if n.getRole() == role:
                out.append((n.name or "") + " " + text_of(n))
        except Exception:
            pass
    return out


app = App("--local", db, "--no-demo")
try:
    canvas = app.wait_focused(pyatspi.ROLE_IMAGE)
    tap.ok(canvas is not None, "the box task opens")
    time.sleep(0.5)
    where = extents(canvas)
    key("F1")
    # The help window is a second top-level of the application.
    dialog = app.window("Keys")
    tap.ok(dialog is not None and any("Tab / Shift+Tab" in t for t in texts_in(app, dialog)),
           "F1 opens the key help, with the list in its own window")
    labels = texts(app, pyatspi.ROLE_LABEL)
    tap.ok(not any("Tab / Shift+Tab" in t for t in labels),
           "the key list is not copied into the status line or a notice")
    key("Escape")
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "Escape closes it")
    tap.ok(extents(canvas) == where, f"the photo has not moved: {where} → {extents(canvas)}")

    key("ctrl+i")
    answer = wait_until(lambda: above(app, "No boxes yet", where[1]), 5)
    tap.ok(answer is not None, f"Ctrl+I answers in the band above the photo, not only in the status "
           f"line below it: {answer.name if answer else None!r}")
    tap.ok(extents(canvas) == where, f"the photo has not moved: {where} → {extents(canvas)}")

    key("n")
    key("Right")
    key("ctrl+Return")
    time.sleep(0.5)
    tap.ok(extents(canvas) == where, f"a box, its status and a notice leave the photo where it was: "
           f"{where} → {extents(canvas)}")
    tap.ok(above(app, "has no label yet", where[1]) is not None, "the refusal is shown above the photo")
    gone = wait_until(lambda: above(app, "has no label yet", where[1]) is None, 30)
    tap.ok(gone, "the notice goes away after a while")
    tap.ok(extents(canvas) == where, f"and the photo still has not moved: {extents(canvas)}")
finally:
    app.close()
tap.done()
