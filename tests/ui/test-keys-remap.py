#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Own keys for the box task and the window: a keys.ini in the person's
config folder gives "new box" to B, the settings to Ctrl+O and submit to
F9. The new keys work and the old ones no longer do; the submit button,
the menu, the F1 list and the spoken hints name the new keys, in English
and in Dutch."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-remap-")
config = os.path.join(tmp, "config")
os.makedirs(os.path.join(config, "annolab"))
with open(os.path.join(config, "annolab", "keys.ini"), "w") as f:
    f.write("# B for a new box, the settings on Ctrl+O, submit on F9\n[keys]\n"
            "box.new=b\nwin.settings=<Control>o\nwin.submit=F9\n")


def queue(name):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    return make_queue([
        {"id": f"{name}-{i}", "kind": "bbox", "image": os.path.join(DEMO, "images", image),
         "labels": ["cup", "saucer"]}
        for i, image in enumerate(["coffee.jpg", "rocket.jpg", "horse.png"])], d)


def description(node):
    try:
        return node.description or ""
    except Exception:
        return ""


def key_help(app):
    """The text of the F1 list, closed again with Escape."""
    key("F1")
    window = app.window("Keys") or app.window("Toetsen")
    node = window and app.find(role=pyatspi.ROLE_TEXT, root=window, timeout=5)
    text = text_of(node) if node else ""
    key("Escape")
    wait_until(lambda: app.window("Keys", 0.1) is None and app.window("Toetsen", 0.1) is None, 5)
    return text


app = App("--local", queue("en"), "--no-demo", env={"XDG_CONFIG_HOME": config})
try:
    canvas = app.find(role=pyatspi.ROLE_IMAGE, name="Photo with boxes", timeout=10)
    tap.ok(canvas is not None and app.wait_focused(pyatspi.ROLE_IMAGE) is not None,
           "the box task opens with the photo focused")
    tap.ok(wait_until(lambda: description(canvas).startswith("No boxes yet. Press B for a new box."), 10),
           f"the photo's hint names B: {description(canvas)!r}")
    tap.ok(app.find(contains="standard keys apply", timeout=0.5) is None,
           "the key file is taken without a complaint")
    key("n")
    wait_until(lambda: False, 0.5)
    tap.ok(description(canvas).startswith("No boxes yet"), f"N no longer makes a box: {description(canvas)!r}")
    key("b")
    tap.ok(wait_until(lambda: "Box 1 of 1, no label yet" in description(canvas), 5),
           f"B makes a new box: {description(canvas)!r}")
    key("1")
    tap.ok(wait_until(lambda: "Box 1 of 1, cup," in description(canvas), 5), "1 still gives label 1")

    tap.ok(app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Submit (F9)", timeout=2) is not None,
           "the submit button names F9")
    tap.ok(app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Submit (Ctrl+Enter)", timeout=0.2) is None,
           "and not Ctrl+Enter")
    key("ctrl+Return")
    wait_until(lambda: False, 0.8)
    tap.ok("Box 1 of 1, cup," in description(canvas), "Ctrl+Enter no longer submits")
    key("F9")
    tap.ok(wait_until(lambda: description(canvas).startswith("No boxes yet"), 10),
           f"F9 submits, and the next photo is shown: {description(canvas)!r}")

    # The hints of the box task name the keys in force too.
    key("F9")
    told = app.find(contains="You have not drawn a box yet", timeout=5)
    said = (told.name or text_of(told)) if told else ""
    tap.ok("press B for a new box" in said and "press F9 again" in said,
           f"an empty answer is pointed out with B and F9: {said!r}")
    key("b")
    wait_until(lambda: "Box 1 of 1" in description(canvas), 5)
    key("F9")
    told = app.find(contains="has no label yet", timeout=5)
    said = (told.name or text_of(told)) if told else ""
    tap.ok("press a key from 1 to 2" in said, f"an unlabelled box is pointed out with its keys: {said!r}")

    text = key_help(app)
    tap.ok("B: new box in the middle" in text and "F9: submit" in text and "Ctrl+O: the settings" in text,
           f"F1 lists B, F9 and Ctrl+O: {text!r}")
    tap.ok("N: new box" not in text and "Ctrl+Enter" not in text and "Ctrl+,:" not in text,
           "and none of the keys they replace")
    tap.ok("1: give the box the label cup" in text and "2: give the box the label saucer" in text
           and "3: give" not in text, "F1 names this task's labels and only those")

    key("ctrl+comma")
    tap.ok(app.window("Settings", 1) is None, "Ctrl+, no longer opens the settings")
    key("ctrl+o")
    settings = app.window("Settings", 5)
    tap.ok(settings is not None, "Ctrl+O opens the settings")
    key("Escape")
    tap.ok(wait_until(lambda: app.window("Settings", 0.1) is None, 5), "Escape closes them")

    key("F10")
    tap.ok(app.find(name="Settings (Ctrl+O)", timeout=5) is not None, "the menu names Ctrl+O")
    tap.ok(app.find(name="Settings (Ctrl+,)", timeout=0.2) is None, "and not Ctrl+,")
    key("Escape")

finally:
    app.close()

app = App("--local", queue("nl"), "--no-demo", lang="nl", env={"XDG_CONFIG_HOME": config})
try:
    canvas = app.find(role=pyatspi.ROLE_IMAGE, timeout=10)
    tap.ok(app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Versturen (F9)", timeout=10) is not None,
           "in Dutch the submit button names F9")
    tap.ok(canvas is not None and wait_until(lambda: "Druk op B voor een nieuwe box" in description(canvas), 10),
           f"and the photo's hint B: {description(canvas) if canvas else None!r}")
    text = key_help(app)
    tap.ok("B: nieuwe box in het midden" in text and "F9: versturen" in text,
           f"the Dutch F1 list names B and F9: {text!r}")
finally:
    app.close()
tap.done()
