#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every screen at 175% and 200% text on a 1280 × 800 screen: the window
fits the screen, and on the transcription task the text field, the marks,
every player button and Submit are in view without scrolling; the box task
shows its photo, labels and status; the settings show the text size and
high contrast first; the key help fits the screen. Screenshots go to
$ANNOLAB_SHOTS when set, to be looked at."""
import os
import subprocess
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, type_text

skip_unless_desktop()
tap = Tap()
SCREEN = (1280, 800)
shots = os.environ.get("ANNOLAB_SHOTS")
LONG = ("Listen to the clip and type exactly what you hear, in lower case, without punctuation. "
        "Ctrl+Space plays or pauses. Done? Press Ctrl+Enter.")


def box(node, root=None):
    e = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return e.x, e.y, e.x + e.width, e.y + e.height


def inside(inner, outer):
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def shot(name):
    if shots:
        time.sleep(0.5)
        subprocess.run(["import", "-window", "root", os.path.join(shots, name + ".png")])


def in_view(app, node, pane):
    """node lies within the visible part of the page and of the screen."""
    return node is not None and inside(box(node), box(pane)) and inside(box(node), (0, 0) + SCREEN)


def page(app):
    return next(n for n in app.all() if n.getRole() == pyatspi.ROLE_SCROLL_PANE and
                n.parent is not None and n.parent.parent is not None and
                n.parent.parent.getRole() == pyatspi.ROLE_FRAME)


for scale in ("175", "200"):
    tmp = tempfile.mkdtemp(prefix=f"annolab-large-{scale}-")
    db = make_queue([
        {"id": "s1", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "austen-0870.wav"),
         "language": "en", "instructions": {"en": LONG, "nl": LONG}},
        {"id": "b1", "kind": "bbox", "image": os.path.join(DEMO, "images", "camera.jpg"),
         "labels": ["person", "camera"], "instructions": {"en": "Draw a box around each person and "
                                                          "each camera. N: new box. Arrows: move it."}},
    ], tmp)
    app = App("--local", db, "--no-demo", "--text-scale", scale)
    try:
        tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, f"{scale}%: the transcription task opens")
        time.sleep(0.5)
        shot(f"{scale}-transcribe")
        frame = box(app.frame)
        tap.ok(inside(frame, (0, 0) + SCREEN), f"{scale}%: the window fits the screen: {frame}")
        pane = page(app)
        buttons = [n for n in app.all() if n.getRole() == pyatspi.ROLE_PUSH_BUTTON]
        player = [b for b in buttons if b.name.split(" (")[0] in
                  ("Play / pause", "Back 2 s", "Forward 2 s", "Slower", "Faster", "From the start")]
        tap.ok(len(player) == 6 and all(in_view(app, b, pane) for b in player),
               f"{scale}%: every player button is in view: {[(b.name, box(b)) for b in player]}")
        marks = app.find(contains="[silence]", role=pyatspi.ROLE_LABEL, timeout=2)
        tap.ok(in_view(app, marks, pane), f"{scale}%: the marks are in view: {marks and box(marks)}")
        field = app.find(role=pyatspi.ROLE_TEXT, name="Transcript", timeout=2)
        tap.ok(in_view(app, field, pane), f"{scale}%: the text field is in view")
        submit = app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Submit (Ctrl+Enter)", timeout=2)
        tap.ok(submit is not None and inside(box(submit), (0, 0) + SCREEN), f"{scale}%: Submit is on the screen")

        key("F1")
        keys = app.window("Keys")
        time.sleep(0.5)
        shot(f"{scale}-keyhelp")
        tap.ok(keys is not None and inside(box(keys), (0, 0) + SCREEN),
               f"{scale}%: the key help fits the screen: {keys and box(keys)}")
        close = keys and app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Close (Escape)", root=keys, timeout=2)
        tap.ok(close is not None and inside(box(close), box(keys)), f"{scale}%: with its Close button in view")
        key("Escape")
        app.wait_focused(pyatspi.ROLE_TEXT)

        key("ctrl+comma")
        settings = app.window("Settings")
        time.sleep(0.5)
        shot(f"{scale}-settings")
        size = settings and app.find(role=pyatspi.ROLE_SPIN_BUTTON, name="Text size in percent (100 to 200)",
                                     root=settings, timeout=2)
        contrast = settings and app.find(role=pyatspi.ROLE_RADIO_BUTTON, name="On", root=settings, timeout=2)
        view = settings and next((n for n in app.all(settings) if n.getRole() == pyatspi.ROLE_SCROLL_PANE), None)
        tap.ok(size is not None and contrast is not None and view is not None and
               inside(box(size), box(view)) and inside(box(contrast), box(view)) and
               inside(box(view), (0, 0) + SCREEN),
               f"{scale}%: text size and high contrast are in view without scrolling")
        key("Escape")
        app.wait_focused(pyatspi.ROLE_TEXT)

        type_text("it is a truth")
        key("ctrl+Return")
        canvas = app.wait_focused(pyatspi.ROLE_IMAGE)
        time.sleep(0.5)
        shot(f"{scale}-box")
        pane = page(app)
        legend = app.find(contains="camera", role=pyatspi.ROLE_LABEL, timeout=2)
        status = app.find(contains="No boxes yet", role=pyatspi.ROLE_LABEL, timeout=2)
        tap.ok(canvas is not None and in_view(app, canvas, pane) and box(canvas)[3] - box(canvas)[1] >= 200,
               f"{scale}%: the photo is in view: {canvas and box(canvas)}")
        tap.ok(in_view(app, legend, pane) and in_view(app, status, pane),
               f"{scale}%: so are its labels and status line")
    finally:
        app.close()
tap.done()
