#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A model's proposed choice in a classification task, with the keyboard
alone: the proposed choice is named as the model's on its button, a note
says what was proposed and how sure the model was, and it is chosen when
the task opens, so that Ctrl+Enter keeps it; a digit chooses another (the
proposal changed); of several choices one proposed is unticked (rejected)
and another ticked (added). A check task never shows its proposal. In voice
mode the proposal is said after the choices, with the model's sureness in
words. The results' marks are read back with annolab-queue export."""
import json
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-proposal-classify-")
photo = os.path.join(DEMO, "images", "chelsea.jpg")
animal = {"kind": "classify", "image": photo, "choices": ["hond", "kat", "paard"],
          "instructions": {"en": "Which animal is this?", "nl": "Welk dier is dit?"}}
rocket = {"kind": "classify", "image": os.path.join(DEMO, "images", "rocket.jpg"), "multiple": True,
          "choices": ["raket", "torens", "lampen", "rook"],
          "instructions": {"en": "What do you see?", "nl": "Wat zie je?"}}
model = {"model": "http://models.lab:9090/", "version": "v3"}
os.makedirs(os.path.join(tmp, "gold"))
gold_db = make_queue([dict(animal, id="g1", gold={"choices": ["kat"]},
                           proposal=dict(model, choices=["kat"], confidence=0.7))],
                     os.path.join(tmp, "gold"))
db = make_queue([
    dict(animal, id="kept", proposal=dict(model, choices=["kat"], confidence=0.7)),
    dict(animal, id="other", proposal=dict(model, choices=["hond"], confidence=0.45)),
    dict(rocket, id="several", proposal=dict(model, choices=["raket", "rook"], confidence=0.93)),
], tmp)


def pressed(node):
    s = node.getState()
    return s.contains(pyatspi.STATE_CHECKED) or s.contains(pyatspi.STATE_PRESSED)


def button(app, name, role=pyatspi.ROLE_PUSH_BUTTON):
    return app.find(role=role, name=name, timeout=5)


# A check task measures the person: no proposal, nothing chosen.
app = App("--local", gold_db, "--no-demo", "--participant", "tester")
try:
    first = app.wait_focused(pyatspi.ROLE_PUSH_BUTTON)
    kat = button(app, "2: kat")
    tap.ok(first is not None and kat is not None and not pressed(kat)
           and app.find(contains="Model proposal", timeout=1) is None,
           "the check task opens without the proposal: nothing chosen, no note, no mark")
finally:
    app.close()

app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    focused = app.wait_focused(pyatspi.ROLE_PUSH_BUTTON)
    tap.ok(focused is not None and focused.name == "2: kat (model's proposal)" and pressed(focused),
           f"the proposed choice is named as the model's, chosen and focused: {focused.name if focused else None}")
    note = app.find(contains="Model proposal (http://models.lab:9090/ v3)", timeout=3)
    tap.ok(note is not None and "The model proposes “kat” (fairly sure, 70%); it is chosen already. "
           "Check it: Ctrl+Enter keeps it" in (note.name or ""),
           f"a note says what the model proposed and how sure it was: {note.name if note else None!r}")
    others = [button(app, "1: hond"), button(app, "3: paard")]
    tap.ok(all(b is not None and not pressed(b) for b in others), "the other choices are not chosen")
    key("ctrl+Return")

    focused = wait_until(lambda: (lambda f: f if f and f.name == "1: hond (model's proposal)" else None)(
        app.focused()), 10)
    tap.ok(focused is not None and pressed(focused), "the next task opens with its proposal chosen")
    note = app.find(contains="The model proposes “hond” (not sure, 45%)", timeout=3)
    tap.ok(note is not None, "an unsure proposal is said to be so")
    key("2")
    kat = button(app, "2: kat")
    tap.ok(wait_until(lambda: pressed(kat) and not pressed(focused), 3), "2 chooses kat instead")
    key("ctrl+Return")

    box = app.wait_focused(pyatspi.ROLE_CHECK_BOX)
    wait_until(lambda: app.focused() is not None and "raket" in (app.focused().name or ""), 10)
    raket = button(app, "1: raket (model's proposal)", pyatspi.ROLE_CHECK_BOX)
    rook = button(app, "4: rook (model's proposal)", pyatspi.ROLE_CHECK_BOX)
    tap.ok(raket is not None and rook is not None and pressed(raket) and pressed(rook),
           "of several choices, both proposed ones are ticked")
    tap.ok(app.find(contains="(very sure, 93%); ticked already", timeout=3) is not None,
           "the note says they are ticked already")
    key("4")
    key("2")
    torens = button(app, "2: torens", pyatspi.ROLE_CHECK_BOX)
    tap.ok(wait_until(lambda: not pressed(rook) and pressed(torens), 3), "4 unticks rook, 2 ticks torens")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10) is not None, "all three tasks are done")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

results = {r["task_id"]: r["result"] for r in export(db)}


def mark(task):
    m = results.get(task, {}).get("proposal", {})
    return (m.get("model"), m.get("accepted"), m.get("changed"), m.get("added"), m.get("rejected"))


tap.ok(results.get("kept", {}).get("choices") == ["kat"] and
       mark("kept") == ("http://models.lab:9090/", 1, 0, 0, 0),
       f"kept: the proposal accepted as it was: {results.get('kept')}")
tap.ok(results.get("other", {}).get("choices") == ["kat"] and
       mark("other") == ("http://models.lab:9090/", 0, 1, 0, 0),
       f"other: another choice, the proposal changed: {results.get('other')}")
tap.ok(results.get("several", {}).get("choices") == ["raket", "torens"] and
       mark("several") == ("http://models.lab:9090/", 1, 0, 1, 1),
       f"several: one kept, one rejected, one added: {results.get('several')}")

# Voice mode: the proposal is said after the choices.
os.makedirs(os.path.join(tmp, "voice"))
# Voice mode hands out the tasks one does by listening.
voice_db = make_queue([{"id": "v1", "kind": "classify", "audio": os.path.join(DEMO, "audio", "cards-002.wav"),
                        "start": 0.0, "end": 1.5, "choices": ["muziek", "spraak", "stilte"],
                        "instructions": {"en": "What do you hear?", "nl": "Wat hoor je?"},
                        "proposal": dict(model, choices=["spraak"], confidence=0.97)}],
                      os.path.join(tmp, "voice"))
speech_log = os.path.join(tmp, "speech.log")
app = App("--local", voice_db, "--no-demo", "--voice", "--speech-log", speech_log)
try:
    said = wait_until(lambda: [r[3] for r in lines(speech_log) if "The model proposes" in r[3]], 20)
    texts = [r[3] for r in lines(speech_log)]
finally:
    app.close()
choices_at = next((i for i, t in enumerate(texts) if "Choices: 1 muziek, 2 spraak, 3 stilte" in t), None)
proposal_at = next((i for i, t in enumerate(texts) if "The model proposes" in t), None)
tap.ok(said and "The model proposes “spraak” (very sure, 97%); it is chosen already. Check it: "
       "Ctrl+Enter keeps it" in said[0],
       f"voice mode says what is proposed and how sure the model was, in words: {said}")
tap.ok(choices_at is not None and proposal_at is not None and choices_at < proposal_at,
       f"after the choices: {texts}")
tap.done()
