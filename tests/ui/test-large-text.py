#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every screen at 175% text in English and at 200% in Dutch (the longer
words at the largest size) on a 1280 × 800 screen: the window fits the screen, and on every screen (the
transcription, box and classification tasks, the feedback and the feedback
picture, the key help, where am I, the settings, the pass chooser, the
break, the end of the session, high contrast) every control that takes the
focus and every label with text lies fully inside the window and inside the
part of the page in view, without scrolling; text in a scrolling area of its
own (the instructions, the key help, the settings) is not cut at the side,
and each setting comes into view when Tab reaches it. The photo of a box
task is in view even below long instructions and feedback. Screenshots go to
$ANNOLAB_SHOTS, or build/tests/large-text/, to be looked at."""
import os
import subprocess
import tempfile
import time

import pyatspi

from annolab_ui import BUILD, DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, type_text, \
    wait_until

skip_unless_desktop()
tap = Tap()
R = pyatspi
SCREEN = (0, 0, 1280, 800)
shots = os.environ.get("ANNOLAB_SHOTS") or os.path.join(BUILD, "tests", "large-text")
os.makedirs(shots, exist_ok=True)
LONG = ("Listen to the clip and type exactly what you hear, in lower case, without punctuation. "
        "Ctrl+Space plays or pauses. Done? Press Ctrl+Enter.")
BOX_LONG = ("Practice: draw a box around the person and a box around the camera (two boxes). Press N: "
            "a box appears in the middle. Move it with the arrow keys. Make it fit with Ctrl and an "
            "arrow (this moves the right or bottom edge) and Ctrl+Shift and an arrow (the left or top "
            "edge). With the mouse: drag inside the box to move it, drag a corner to make it larger or "
            "smaller. Choose the label with a number key. Done? Press Ctrl+Enter.")
EXPLAIN = ("A playing card is a number and a suit; say the number first and then the suit, the way "
           "the speaker does, and write every word out in full.")


def box(node, coords=R.WINDOW_COORDS):
    """Extents within the window: GTK 4 on X11 knows no screen positions."""
    e = node.queryComponent().getExtents(coords)
    return e.x, e.y, e.x + e.width, e.y + e.height


def inside(inner, outer):
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def across(inner, outer):
    return inner[0] >= outer[0] and inner[2] <= outer[2]


def shot(name):
    if shots:
        time.sleep(0.5)
        subprocess.run(["import", "-window", "root", os.path.join(shots, name + ".png")])


def page(app):
    return next(n for n in app.all() if n.getRole() == R.ROLE_SCROLL_PANE and
                n.parent is not None and n.parent.parent is not None and
                n.parent.parent.getRole() == R.ROLE_FRAME)


def shown_text(node):
    if node.getRole() != R.ROLE_LABEL:
        return node.name or ""
    return text_of(node) or node.name or ""


def same(a, b):
    """One accessible, though reached by two paths through the tree."""
    try:
        return a is not None and b is not None and a.path == b.path
    except Exception:
        return a == b


def outside(app, root, view=None):
    """What lies (partly) outside the window root, outside the page view
    in it, or is cut at the side by a scrolling area of its own."""
    frame = box(root)
    bad = []

    def walk(node, pane):
        try:
            states = node.getState()
            # GTK 4.8 sets no "showing"; a page not shown has no size.
            if not states.contains(R.STATE_VISIBLE):
                return
            role = node.getRole()
            b = box(node)
        except Exception:
            return
        if b[2] > b[0] and b[3] > b[1] and (states.contains(R.STATE_FOCUSABLE) or
                                            (role == R.ROLE_LABEL and shown_text(node).strip())):
            if pane is None or same(pane, view):
                ok = inside(b, frame) and (pane is None or inside(b, box(pane)))
            else:  # a scrolling area of its own: not cut at the side
                ok = across(b, frame) and across(b, box(pane))
            if not ok:
                bad.append(f"{node.getRoleName()} {shown_text(node)[:40]!r} {b}")
        if role == R.ROLE_SCROLL_PANE and view is not None and not same(node, view) and same(pane, view):
            if not inside(b, box(view)):
                bad.append(f"scroll area {b} out of view")
        if role == R.ROLE_SCROLL_PANE:
            pane = node
        for i in range(node.childCount):
            walk(node.getChildAtIndex(i), pane)

    walk(root, None)
    return bad


def fits(app, label, root=None):
    root = root or app.frame
    time.sleep(0.8)
    shot(label)
    view = page(app) if root == app.frame else None
    bad = outside(app, root, view)
    size = box(root, R.DESKTOP_COORDS)
    tap.ok(inside(size, SCREEN) and not bad,
           f"{label}: the window {size} fits the screen and all of it is in view {bad}")


def dialog(app, timeout=5):
    """The newest top-level window other than the main one."""
    def look():
        for i in range(app.app.childCount - 1, -1, -1):
            w = app.app.getChildAtIndex(i)
            if w is not None and w != app.frame and w.getState().contains(R.STATE_SHOWING):
                return w
        return None
    return wait_until(look, timeout)


def focused_in(app, root):
    for node in app.all(root):
        try:
            if node.getState().contains(R.STATE_FOCUSED):
                return node
        except Exception:
            continue
    return None


def settings_round(app, label, win):
    """Tab through the settings: each one comes into view when it has the focus."""
    view = next((n for n in app.all(win) if n.getRole() == R.ROLE_SCROLL_PANE), None)
    hidden, seen = [], 0
    for i in range(30):
        node = wait_until(lambda: focused_in(app, win), 1)
        if node is not None and view is not None:
            time.sleep(0.2)
            seen += 1
            b = box(node)
            in_pane = any(a == view for a in ancestors(node))
            if not inside(b, box(win)) or (in_pane and not inside(b, box(view))):
                hidden.append(f"{node.getRoleName()} {node.name!r} {b}")
        if i == 12:
            shot(label + "-scrolled")
        key("Tab", 0.15)
    tap.ok(view is not None and seen >= 10 and not hidden,
           f"{label}: every setting is in view when Tab reaches it {hidden}")


def ancestors(node):
    while node is not None:
        node = node.parent
        if node is not None:
            yield node


def photo_in_view(app, label):
    canvas = app.wait_focused(R.ROLE_IMAGE)
    pane = page(app)
    c, p = (box(canvas), box(pane)) if canvas is not None else ((0, 0, 0, 0), (0, 0, 0, 0))
    # The room from the photo's top edge to the bottom of the page in view.
    seen = p[3] - max(c[1], p[1])
    tap.ok(canvas is not None and seen >= 150,
           f"{label}: {seen} pixels of the photo are in view without scrolling: {c} in {p}")


tasks = [
    {"id": "p1", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "cards-005.wav"),
     "language": "en", "training": True, "gold": {"text": "eight of spades four of clubs seven of hearts"},
     "explanation": {"en": EXPLAIN, "nl": EXPLAIN}, "instructions": {"en": LONG, "nl": LONG}},
    {"id": "b1", "kind": "bbox", "image": os.path.join(DEMO, "images", "camera.jpg"), "training": True,
     "labels": ["person", "camera"], "instructions": {"en": BOX_LONG, "nl": BOX_LONG},
     "gold": {"boxes": [{"label": "person", "x": 60, "y": 30, "w": 300, "h": 482},
                        {"label": "camera", "x": 240, "y": 80, "w": 90, "h": 60}]},
     "explanation": {"en": EXPLAIN, "nl": EXPLAIN}},
    {"id": "c1", "kind": "classify", "image": os.path.join(DEMO, "images", "chelsea.jpg"),
     "choices": ["cat", "dog", "horse", "no animal"],
     "instructions": {"en": "Which animal do you see in the photo? Pick the answer with its digit "
                            "(1 to 4) and press Ctrl+Enter.", "nl": "Welk dier zie je?"}},
    {"id": "c2", "kind": "classify", "audio": os.path.join(DEMO, "audio", "austen-0870.wav"),
     "start": 0, "end": 3, "language": "en", "choices": ["speech", "music", "silence"],
     "instructions": {"en": "What do you hear in this clip? Pick the answer with its digit and press "
                            "Ctrl+Enter.", "nl": "Wat hoor je?"}},
]

for scale, lang in (("175", "en"), ("200", "nl")):
    at = f"{scale}% {lang}"
    tmp = tempfile.mkdtemp(prefix=f"annolab-large-{scale}-")
    db = make_queue(tasks, tmp)
    app = App("--local", db, "--no-demo", "--text-scale", scale, "--lang", lang, lang=lang)
    name = f"{scale}-{lang}"
    try:
        tap.ok(app.wait_focused(R.ROLE_TEXT) is not None, f"{at}: the transcription task opens")
        fits(app, f"{name}-transcribe")

        key("F1")
        keys = dialog(app)
        tap.ok(keys is not None, f"{at}: F1 opens the key help")
        if keys is not None:
            fits(app, f"{name}-keyhelp", keys)
        key("Escape")
        app.wait_focused(R.ROLE_TEXT)

        key("ctrl+comma")
        settings = dialog(app)
        tap.ok(settings is not None, f"{at}: Ctrl+, opens the settings")
        if settings is not None:
            fits(app, f"{name}-settings", settings)
            spin = next((n for n in app.all(settings) if n.getRole() == R.ROLE_SPIN_BUTTON), None)
            shown = spin.queryValue().currentValue if spin is not None else None
            tap.ok(shown == int(scale), f"{at}: the settings show the text size in use ({shown})")
            settings_round(app, f"{name}-settings", settings)
        key("Escape")
        app.wait_focused(R.ROLE_TEXT)

        key("ctrl+i")
        time.sleep(0.5)
        fits(app, f"{name}-where-am-i")

        type_text("eight of spades")
        key("ctrl+Return")
        canvas = app.wait_focused(R.ROLE_IMAGE)
        tap.ok(canvas is not None, f"{at}: after the practice transcription the box task opens")
        tap.ok(wait_until(lambda: app.find(contains=EXPLAIN[:30], timeout=0.1), 5) is not None,
               f"{at}: with the feedback on the practice task above it")
        fits(app, f"{name}-feedback")
        photo_in_view(app, f"{at}, box task under feedback and long instructions")

        key("n")
        key("1")
        key("ctrl+Return")
        # One box where the photo has two: asked first, sent on the second press.
        short = lambda: app.find(contains="objects to box" if lang == "en" else "een box te krijgen",
                                 timeout=0.1)
        tap.ok(wait_until(short, 5) is not None, f"{at}: one box of two is asked about first")
        fits(app, f"{name}-short-answer")
        key("ctrl+Return")
        legend = "Dashed line" if lang == "en" else "Stippellijn"
        tap.ok(wait_until(lambda: app.find(contains=legend, timeout=0.1), 10) is not None,
               f"{at}: the second press sends it and the feedback picture opens")
        fits(app, f"{name}-feedback-picture")
        photo_in_view(app, f"{at}, feedback picture")
        key("ctrl+Return")

        tap.ok(wait_until(lambda: app.find(contains="no animal", timeout=0.1), 10) is not None,
               f"{at}: the photo classification opens")
        fits(app, f"{name}-classify-photo")
        key("F4")
        chooser = dialog(app)
        tap.ok(chooser is not None, f"{at}: F4 opens the pass chooser")
        if chooser is not None:
            fits(app, f"{name}-pass", chooser)
        key("Escape")
        time.sleep(0.5)

        key("ctrl+shift+h")
        fits(app, f"{name}-classify-contrast")
        key("ctrl+shift+h")

        key("1")
        key("ctrl+Return")
        tap.ok(wait_until(lambda: app.find(contains="silence", timeout=0.1), 10) is not None,
               f"{at}: the classification of a recording opens")
        fits(app, f"{name}-classify-recording")

        key("ctrl+p")
        time.sleep(1)
        fits(app, f"{name}-break")
        key("ctrl+shift+h")
        fits(app, f"{name}-break-contrast")
        key("ctrl+shift+h")
        key("ctrl+p")
        time.sleep(1)

        key("1")
        key("ctrl+Return")
        time.sleep(2)
        fits(app, f"{name}-end")
    finally:
        app.close()
tap.done()
