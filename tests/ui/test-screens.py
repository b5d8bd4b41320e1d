#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every screen as a screen reader and a keyboard user meet it: the
transcription task, the key help, the settings, the box task and the break
screen. On each, everything that can be used has the right role and a
plain name (no '_' left from a mnemonic, no GTK type name), and Tab goes
round all of it and back to the start without getting stuck."""
import os
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, type_text, \
    wait_until

skip_unless_desktop()
tap = Tap()

ACTIONABLE = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
              pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY,
              pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SLIDER,
              pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_LINK,
              pyatspi.ROLE_IMAGE}
# What may take the keyboard focus: a widget a person can use, or a panel
# that stands for a whole screen (the break) and says so by its name.
FOCUS_ROLES = ACTIONABLE | {pyatspi.ROLE_PANEL, pyatspi.ROLE_LABEL, pyatspi.ROLE_SCROLL_PANE}


def key_of(node):
    """Identifies an accessible between two looks at the tree."""
    try:
        parent = node.parent
        return (node.getRoleName(), node.name, node.getIndexInParent(),
                parent.getRoleName() if parent else "", parent.name if parent else "")
    except Exception:
        return None


def sweep(app, screen, root=None, expect=()):
    """Names and roles of everything usable on one screen; expect lists
    (role, name) pairs that must be there."""
    bad = []
    seen = 0
    found = set()
    for node in app.all(root):
        try:
            role = node.getRole()
            states = node.getState()
            name = node.name or ""
        except Exception:
            continue
        found.add((role, name))
        focusable = states.contains(pyatspi.STATE_FOCUSABLE)
        if role not in ACTIONABLE and not focusable:
            continue
        if not states.contains(pyatspi.STATE_SENSITIVE) and role != pyatspi.ROLE_TEXT:
            continue
        seen += 1
        if focusable and role not in FOCUS_ROLES:
            bad.append(f"focusable {node.getRoleName()} {name!r}")
        if role == pyatspi.ROLE_LABEL and text_of(node):
            continue  # a selectable label reads its own text
        if not name.strip():
            bad.append(f"{node.getRoleName()} without a name")
        elif "_" in name or "Gtk" in name:
            bad.append(f"{node.getRoleName()} named {name!r}")
    missing = [f"{pyatspi.Role(r).value_nick if hasattr(pyatspi.Role(r), 'value_nick') else r} {n!r}"
               for r, n in expect if (r, n) not in found]
    tap.ok(seen > 0 and not bad, f"{screen}: {seen} usable elements, all plainly named {bad}")
    if expect:
        tap.ok(not missing, f"{screen}: the right roles and names {missing}")


def focused_in(app, root):
    for node in app.all(root):
        try:
            if node.getState().contains(pyatspi.STATE_FOCUSED):
                return node
        except Exception:
            continue
    return None


def tab_round(app, screen, must_visit=(), root=None, limit=30):
    """Presses Tab until the focus is back where it started."""
    start = wait_until(lambda: focused_in(app, root), 5)
    first = key_of(start) if start else None
    visited = []
    back = False
    for _ in range(limit):
        key("Tab", 0.15)
        node = wait_until(lambda: focused_in(app, root), 1)
        k = key_of(node) if node else None
        if k is None:
            visited.append(("nothing", "", 0, "", ""))
            continue
        if k == first:
            back = True
            break
        visited.append(k)
    names = [f"{k[0]}:{k[1]}" for k in visited]
    distinct = len(set(visited)) == len(visited)
    tap.ok(first is not None and back and distinct,
           f"{screen}: Tab goes round {len(visited) + 1} stops and back to the start: {names}")
    missing = [m for m in must_visit if not any(m == k[1] for k in visited) and
               not (first and first[1] == m)]
    if must_visit:
        tap.ok(not missing, f"{screen}: Tab reaches {list(must_visit)} (missing {missing})")
    return visited


def top_level(app, name, timeout=5):
    def look():
        for i in range(app.app.childCount):
            f = app.app.getChildAtIndex(i)
            if f is not None and f.name == name:
                return f
        return None
    return wait_until(look, timeout)


tmp = tempfile.mkdtemp(prefix="annolab-screens-")
db = make_queue([
    {"id": "s1", "kind": "transcribe", "audio": os.path.join(DEMO, "audio", "cards-001.wav"),
     "language": "en", "instructions": "Type the cards you hear."},
    {"id": "b1", "kind": "bbox", "image": os.path.join(DEMO, "images", "coins.png"),
     "labels": ["coin", "other"], "instructions": "Draw a box around every coin."},
], tmp)

TOP = ["Menu (F10)", "Keys (F1)", "Call the coach (F2)"]
R = pyatspi
app = App("--local", db, "--no-demo")
try:
    view = app.wait_focused(R.ROLE_TEXT)
    tap.ok(view is not None and view.name == "Transcript",
           f"transcription task: the text field is focused and named {view.name if view else None!r}")
    sweep(app, "transcription task", expect=[(R.ROLE_TEXT, "Transcript"),
                                             (R.ROLE_PUSH_BUTTON, "Submit (Ctrl+Enter)"),
                                             (R.ROLE_PUSH_BUTTON, "Keys (F1)")])
    tab_round(app, "transcription task", TOP + ["Transcript", "Submit (Ctrl+Enter)"])

    key("F1")
    help_frame = top_level(app, "Keys")
    tap.ok(help_frame is not None, "F1 opens the key help")
    if help_frame is not None:
        sweep(app, "key help", help_frame, expect=[(R.ROLE_TEXT, "Keys"),
                                                   (R.ROLE_PUSH_BUTTON, "Close (Escape)")])
        tab_round(app, "key help", ["Keys", "Close (Escape)"], help_frame)
        helptext = next((text_of(n) for n in app.all(help_frame) if n.getRole() == R.ROLE_TEXT), "")
        tap.ok("Ctrl+,: the settings" in helptext and
               "Ctrl+Shift+H: high contrast on or off" in helptext,
               "the key help names the settings and high contrast keys")
    key("Escape")
    tap.ok(wait_until(lambda: top_level(app, "Keys", 0.1) is None, 5) and
           app.wait_focused(R.ROLE_TEXT, 5) is not None,
           "Escape closes the key help and the text field has the focus again")

    key("ctrl+comma")
    settings = top_level(app, "Settings")
    tap.ok(settings is not None, "Ctrl+comma opens the settings")
    if settings is not None:
        sweep(app, "settings", settings, expect=[
            (R.ROLE_RADIO_BUTTON, "Nederlands"), (R.ROLE_RADIO_BUTTON, "English"),
            (R.ROLE_CHECK_BOX, "Voice mode: speak everything (when annolab starts again)"),
            (R.ROLE_SPIN_BUTTON, "Speech rate in words per minute (80 to 450)"),
            (R.ROLE_RADIO_BUTTON, "Nothing"), (R.ROLE_RADIO_BUTTON, "Each word"),
            (R.ROLE_RADIO_BUTTON, "Each letter"),
            (R.ROLE_RADIO_BUTTON, "As set on this computer"), (R.ROLE_RADIO_BUTTON, "On"),
            (R.ROLE_RADIO_BUTTON, "Off"),
            (R.ROLE_SPIN_BUTTON, "Text size in percent (100 to 200)"),
            (R.ROLE_PUSH_BUTTON, "Close (Escape)")])
        tab_round(app, "settings", ["Text size in percent (100 to 200)", "English",
                                    "Voice mode: speak everything (when annolab starts again)",
                                    "Speech rate in words per minute (80 to 450)", "Close (Escape)"],
                  settings)
        # Within a group of choices the arrow keys move, as in every toolkit:
        # Tab to the language first (the text size and contrast come before it).
        for _ in range(6):
            node = focused_in(app, settings)
            if node is not None and node.name == "English":
                break
            key("Tab", 0.15)
        key("Up")
        node = wait_until(lambda: focused_in(app, settings), 2)
        tap.ok(node is not None and node.name == "Nederlands" and
               node.getRole() == R.ROLE_RADIO_BUTTON,
               f"Up moves to the other language: {node.name if node else None!r}")
    key("Escape")
    tap.ok(wait_until(lambda: top_level(app, "Settings", 0.1) is None, 5) and
           app.wait_focused(R.ROLE_TEXT, 5) is not None,
           "Escape closes the settings and the text field has the focus again")

    type_text("ten of clubs")
    wait_until(lambda: text_of(app.focused()) == "ten of clubs", 3)
    key("ctrl+Return")
    canvas = app.wait_focused(R.ROLE_IMAGE)
    tap.ok(canvas is not None, "the box task opens with the image focused")
    sweep(app, "box task", expect=[(R.ROLE_PUSH_BUTTON, "Submit (Ctrl+Enter)")])
    tab_round(app, "box task", TOP + ["Submit (Ctrl+Enter)"])
    tap.ok(canvas is not None and bool(canvas.name) and "_" not in canvas.name,
           f"the image is named: {canvas.name if canvas else None!r}")
finally:
    app.close()

# A day of 3 s work and 30 s break, to reach the break screen at once.
tmp = tempfile.mkdtemp(prefix="annolab-screens-break-")
db = make_queue([{"id": "s1", "kind": "transcribe", "language": "en",
                  "audio": os.path.join(DEMO, "audio", "cards-001.wav")}], tmp)
app = App("--local", db, "--no-demo", "--plan", "3s/30sx2", "--warn", "1s", "--grace", "0")
try:
    brk = app.find(name="Break", role=R.ROLE_PANEL, timeout=10)
    wait_until(lambda: app.find(contains="Break for", timeout=0.1), 8)
    tap.ok(brk is not None and app.wait_focused(R.ROLE_PANEL, 5) is not None,
           "the break screen is a panel named Break, and it has the focus")
    # Keys typed in the first two seconds of a break are swallowed on purpose.
    time.sleep(2.2)
    sweep(app, "break screen", expect=[(R.ROLE_PANEL, "Break"), (R.ROLE_PUSH_BUTTON, "Keys (F1)")])
    visited = tab_round(app, "break screen", TOP)
    tap.ok(not any(k[1] in ("Transcript", "Submit (Ctrl+Enter)") for k in visited),
           "the task stays out of reach during the break")
finally:
    app.close()
tap.done()
