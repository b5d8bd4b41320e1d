#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Voice mode from the keyboard alone: the speech log shows, in order, the
task with its instructions, the confirmation of the submit with the
feedback on the practice task, and the next task. The settings screen
speaks too, and the echo setting decides what is said while typing."""
import os
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, type_text, wait_until

skip_unless_desktop()
tap = Tap()
audio = os.path.join(DEMO, "audio")


def said(path):
    """The speech log as (ms, priority, language, text) rows."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [tuple(line.rstrip("\n").split("\t", 3)) for line in f if line.count("\t") >= 3]


def first(rows, part, after=-1):
    for i, row in enumerate(rows):
        if i > after and part in row[3]:
            return i
    return None


tmp = tempfile.mkdtemp(prefix="annolab-voice-")
db = make_queue([
    {"id": "practice", "kind": "transcribe", "audio": os.path.join(audio, "cards-005.wav"),
     "language": "en", "training": True, "instructions": "Type the cards you hear, one by one.",
     "gold": {"text": "eight of spades four of clubs seven of hearts"},
     "explanation": {"en": "Each card is a number and a suit.", "nl": "Elke kaart is een getal en een kleur."}},
    {"id": "next", "kind": "transcribe", "audio": os.path.join(audio, "cards-001.wav"),
     "language": "en", "instructions": "Type the cards you hear."},
], tmp)
log = os.path.join(tmp, "speech.log")

app = App("--local", db, "--no-demo", "--voice", "--speech-log", log)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the practice task has the keyboard")
    start = wait_until(lambda: first(said(log), "Task 1 today."), 10)
    rows = said(log)
    tap.ok(start is not None and "Type the cards you hear, one by one." in rows[start][3],
           f"the task is announced with its instructions: {rows[start] if start is not None else rows}")
    # Let the segment play before typing, as a listener would.
    wait_until(lambda: False, 2.5)
    # A word at a time, as a listener types: a word typed before the last
    # one was said cuts it, by design, and a busy machine is slow to say it.
    for word in "eight of spades four of clubs".split():
        before = len(said(log))
        type_text(word + " ")
        wait_until(lambda: first(said(log), word, before - 1) is not None, 3)
    key("ctrl+Return")
    saved = wait_until(lambda: first(said(log), "Saved.", start or 0), 10)
    # The feedback takes some seconds to say; the next task waits behind it.
    nxt = wait_until(lambda: first(said(log), "Task 2 today.", saved if saved is not None else 0), 40)
    rows = said(log)
    text = rows[saved][3] if saved is not None else ""
    tap.ok(saved is not None and start < saved, f"then the submit is confirmed: {text!r}")
    tap.ok(text.startswith("Saved.") and "six of the nine words" in text and
           text.index("six of the nine words") > 0,
           "the confirmation goes on with what went well on the practice task")
    tap.ok("three words were missing" in text and "Each card is a number and a suit." in text,
           "then the tip and the worked explanation")
    tap.ok(nxt is not None and saved < nxt and "Type the cards you hear." in rows[nxt][3],
           f"then the next task with its instructions: {rows[nxt] if nxt is not None else None}")
    tap.ok(all(r[2] == "en" for r in rows[start:(nxt or start) + 1]), "all in the session language")
    tap.ok(rows[start][1] == "queue" and rows[saved][1] == "queue",
           "task and feedback wait their turn instead of cutting each other off")
    words = [r[3] for r in rows[start:saved] if r[1] == "interrupt"]
    tap.ok("eight" in words and "spades" in words, f"each word typed is said: {words}")

    n = len(said(log))
    key("ctrl+comma")
    opened = wait_until(lambda: first(said(log), "Settings. Tab moves to the next setting", n - 1), 5)
    tap.ok(opened is not None, "the settings screen says what it is and how to use it")
    # Text size, high contrast, language and voice mode come first.
    spoken = None
    for _ in range(6):
        key("Tab")
        spoken = wait_until(lambda: first(said(log), "Speech rate in words per minute (80 to 450): 175",
                                          n - 1), 0.5)
        if spoken is not None:
            break
    tap.ok(spoken is not None, "Tab to the speech rate says its name and value")
    key("Up")
    faster = wait_until(lambda: first(said(log), "(80 to 450): 185", n - 1), 5)
    tap.ok(faster is not None, "Up makes it faster and says the new value")
    ini = os.path.join(app.tmp, "config", "annolab", "settings.ini")
    tap.ok(wait_until(lambda: os.path.exists(ini) and "speech-rate=185" in open(ini).read(), 3),
           "and the new rate is saved at once")
    key("Escape")
finally:
    app.close()

# Echo of every letter, from the settings file.
tmp = tempfile.mkdtemp(prefix="annolab-voice-echo-")
db = make_queue([{"id": "s", "kind": "transcribe", "language": "en",
                  "audio": os.path.join(audio, "cards-001.wav")}], tmp)
config = os.path.join(tmp, "config")
os.makedirs(os.path.join(config, "annolab"))
with open(os.path.join(config, "annolab", "settings.ini"), "w") as f:
    f.write("[workstation]\nvoice=true\necho=characters\n")
log = os.path.join(tmp, "speech.log")
app = App("--local", db, "--no-demo", "--speech-log", log, env={"XDG_CONFIG_HOME": config})
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None and
           wait_until(lambda: first(said(log), "Task 1 today."), 10) is not None,
           "voice mode comes from the settings file")
    wait_until(lambda: False, 2.5)
    n = len(said(log))
    for c in "ten of":
        type_text(c, 0.2)
    wait_until(lambda: first(said(log), "f", n - 1), 5)
    typed = [r[3] for r in said(log)[n:] if r[1] == "interrupt"]
    tap.ok(typed == ["t", "e", "n", "space", "o", "f"], f"each letter is said, and no word: {typed}")
finally:
    app.close()
tap.done()
