#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every screen, as a screen reader sees it: every actionable element has a
role and a plain name (no stray '_' from mnemonics, no GTK type names), and
every screen can be reached and left with the keyboard."""
import os
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, wait_until

skip_unless_desktop()
tap = Tap()

ACTIONABLE = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
              pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY,
              pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SLIDER,
              pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_LINK, pyatspi.ROLE_IMAGE}


def sweep(app, screen, root=None):
    """Check the names of everything actionable on one screen."""
    bad = []
    seen = 0
    for node in app.all(root):
        try:
            role = node.getRole()
            states = node.getState()
        except Exception:
            continue
        focusable = states.contains(pyatspi.STATE_FOCUSABLE)
        if role not in ACTIONABLE and not focusable:
            continue
        if not states.contains(pyatspi.STATE_SENSITIVE) and role != pyatspi.ROLE_TEXT:
            continue
        seen += 1
        name = node.name or ""
        if role == pyatspi.ROLE_LABEL and text_of(node):
            continue  # a selectable label reads its own text
        if not name.strip():
            bad.append(f"{node.getRoleName()} without a name")
        elif "_" in name or name.startswith("Gtk"):
            bad.append(f"{node.getRoleName()} named {name!r}")
    tap.ok(seen > 0 and not bad, f"{screen}: {seen} actionable elements, all plainly named {bad}")


tmp = tempfile.mkdtemp(prefix="annolab-a11y-")
db = make_queue([
    {"id": "s1", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "cards-001.wav"),
     "language": "en"},
    {"id": "b1", "kind": "bbox", "image": os.path.join(DEMO, "images", "coins.png"),
     "labels": ["coin"]},
], tmp)

app = App("--local", db, "--no-demo")
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None, "the transcription task has its text field focused")
    sweep(app, "transcription task")

    key("F1")
    dialog = wait_until(lambda: app.find(name="Keys", role=pyatspi.ROLE_FRAME, timeout=0.2)
                        or app.find(name="Keys", role=pyatspi.ROLE_DIALOG, timeout=0.2), 5)
    # The help window is a second top-level: look for it in the application.
    help_frame = None
    for i in range(app.app.childCount):
        f = app.app.getChildAtIndex(i)
        if f is not None and f.name == "Keys":
            help_frame = f
    tap.ok(help_frame is not None, "F1 opens the key help")
    if help_frame is not None:
        sweep(app, "key help", help_frame)
    key("Escape")
    tap.ok(wait_until(lambda: app.wait_focused(pyatspi.ROLE_TEXT, 0.2) is not None, 5),
           "Escape closes the key help and focus returns to the task")

    key("ctrl+i")
    status = wait_until(lambda: app.find(contains="You have typed 0 words", timeout=0.2), 5)
    tap.ok(status is not None, "Ctrl+I says where you are")

    key("alt+2")
    tap.ok(wait_until(lambda: text_of(view) == "[hesitation] ", 5),
           f"Alt+2 inserts the second mark: {text_of(view)!r}")

    key("ctrl+e")
    saved = app.find(contains="work record has been saved", timeout=10)
    tap.ok(saved is not None, "Ctrl+E saves the work record and says where")
    docs = os.path.join(app.tmp, "Documents")
    files = sorted(f for f in os.listdir(docs) if f.startswith("annolab-work-record")) \
        if os.path.isdir(docs) else []
    tap.ok(len(files) == 2 and files[0].endswith(".html") and files[1].endswith(".json"),
           f"as printable HTML and as JSON: {files}")
finally:
    app.close()
tap.done()
