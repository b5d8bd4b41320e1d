#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Classification with the keyboard alone, through AT-SPI: a practice photo
with one answer (digits pick, the wrong one first, and the feedback names
the expected choice), then a recording where several choices may apply
(digits tick and untick). The answers are read back with annolab-queue
export."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-classify-")
db = make_queue([
    {"id": "cat", "kind": "classify", "image": os.path.join(DEMO, "images", "chelsea.jpg"),
     "choices": ["hond", "kat", "paard"], "training": True, "gold": {"choices": ["kat"]},
     "instructions": {"en": "Which animal is this?", "nl": "Welk dier is dit?"}},
    {"id": "sound", "kind": "classify", "audio": os.path.join(DEMO, "audio", "cards-002.wav"),
     "start": 0.0, "end": 1.5, "multiple": True, "choices": ["muziek", "spraak", "stilte"],
     "instructions": {"en": "What do you hear?", "nl": "Wat hoor je?"}},
], tmp)


def pressed(node):
    s = node.getState()
    return s.contains(pyatspi.STATE_CHECKED) or s.contains(pyatspi.STATE_PRESSED)


app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    # GTK 4.8 gives a toggle button the push-button role with a pressed state.
    first = app.wait_focused(pyatspi.ROLE_PUSH_BUTTON)
    tap.ok(first is not None and first.name == "1: hond",
           f"the photo task opens with its first choice focused: {first.name if first else None}")
    group = app.find(name="Choices", timeout=3)
    names = [n.name for n in app.all(group) if n.getRole() == pyatspi.ROLE_PUSH_BUTTON] if group else []
    tap.ok(names == ["1: hond", "2: kat", "3: paard"],
           f"the choices are a group of buttons named with their digits: {names}")
    tap.ok(app.find(contains="Which animal is this?", timeout=3) is not None,
           "the question is on the screen")
    key("ctrl+Return")
    tap.ok(app.find(contains="No answer chosen yet. Pick one with 1 to 3.", timeout=5) is not None,
           "Ctrl+Enter without an answer says how to choose")
    key("3")
    paard = app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="3: paard", timeout=3)
    tap.ok(wait_until(lambda: pressed(paard), 3), "3 picks paard")
    tap.ok(app.focused() is not None and app.focused().name == "3: paard",
           "and the keyboard is on it")
    key("1")
    hond = app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="1: hond", timeout=3)
    tap.ok(wait_until(lambda: pressed(hond) and not pressed(paard), 3),
           "1 picks hond instead: one answer only")
    key("F1")
    help_window = app.window("Keys")
    helpline = help_window and app.find(contains="2: choose “kat”", timeout=5, root=help_window)
    helptext = text_of(helpline) if helpline else ""
    tap.ok(helpline is not None and "3: choose “paard”" in helptext and
           not any(line.startswith("4: ") for line in helptext.splitlines()) and
           "Ctrl+Space" not in helptext,
           f"F1 lists this task's choices with their keys, and no player keys for a photo: {helptext!r}")
    key("Escape")
    tap.ok(app.wait_focused(pyatspi.ROLE_PUSH_BUTTON) is not None and app.focused().name == "1: hond",
           "Escape gives the keyboard back to the choice")
    key("ctrl+Return")
    notice = app.find(contains="Saved.", timeout=10 * app.slow)
    text = notice.name if notice else ""
    tap.ok("The expected answer was “kat”; you chose “hond”." in text,
           f"the feedback names the expected choice: {text!r}")

    box = app.wait_focused(pyatspi.ROLE_CHECK_BOX)
    tap.ok(box is not None and box.name == "1: muziek",
           f"the recording task opens with check boxes: {box.name if box else None}")
    tap.ok(app.find(contains="More than one may apply. Press 1 to 3", timeout=3) is not None,
           "the hint says that several may apply")
    key("ctrl+space")
    tap.ok(app.find(contains="Playing ·", timeout=5 * app.slow) is not None,
           "Ctrl+Space plays the recording")
    key("2")
    key("1")
    key("1")
    key("2")
    key("2")
    spraak = app.find(role=pyatspi.ROLE_CHECK_BOX, name="2: spraak", timeout=3)
    muziek = app.find(role=pyatspi.ROLE_CHECK_BOX, name="1: muziek", timeout=3)
    tap.ok(wait_until(lambda: pressed(spraak) and not pressed(muziek), 3),
           "digits tick and untick: spraak on, muziek off")
    key("3")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10 * app.slow) is not None,
           "Ctrl+Enter submits, and no tasks are left")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")
results = {r["task_id"]: r for r in export(db)}
tap.ok(results.get("cat", {}).get("result") == {"choices": ["hond"]},
       f"the photo's answer is read back: {results.get('cat')}")
tap.ok(results.get("cat", {}).get("score", {}).get("score") == 0,
       "and scored against its gold for the coach")
tap.ok(results.get("sound", {}).get("result") == {"choices": ["spraak", "stilte"]},
       f"the recording's answers are read back in the order of the choices: {results.get('sound')}")

# Own keys: a keys.ini moves the first choice to A, and the button says so.
tmp2 = tempfile.mkdtemp(prefix="annolab-classify-keys-")
db2 = make_queue([{"id": "k", "kind": "classify", "image": os.path.join(DEMO, "images", "coffee.jpg"),
                   "choices": ["koffie", "thee"]}], tmp2)
config = os.path.join(tmp2, "config")
os.makedirs(os.path.join(config, "annolab"))
with open(os.path.join(config, "annolab", "keys.ini"), "w") as f:
    f.write("[keys]\nclassify.choice-1=a\n")
app = App("--local", db2, "--no-demo", "--participant", "tester", env={"XDG_CONFIG_HOME": config})
try:
    first = app.wait_focused(pyatspi.ROLE_PUSH_BUTTON)
    tap.ok(first is not None and first.name == "A: koffie",
           f"the button names the key in force: {first.name if first else None}")
    tap.ok(app.find(contains="Pick one answer with A to 2.", timeout=3) is not None,
           "and so does the hint")
    key("1")
    key("a")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10 * app.slow) is not None, "A picks and Ctrl+Enter submits")
finally:
    app.close()
results = export(db2)
tap.ok(results and results[0]["result"] == {"choices": ["koffie"]},
       f"the moved key picked the first choice, the old one nothing: {results}")
tap.done()
