#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A model's draft in voice mode: the speech log shows that the task says
once, briefly, that the text is the model's draft, then the recording plays, and
after it the draft is read out in the recording's language. Alt+Up says
the word at the cursor and how sure the model was; Alt+Shift+Right says
the next word."""
import json
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-proposal-voice-")
with open(os.path.join(DEMO, "tasks.jsonl")) as f:
    demo = {t["id"]: t for t in map(json.loads, f)}
cards = dict(demo["demo-speech-cards-003"], id="cards", audio=os.path.join(DEMO, "audio", "cards-003.wav"))
db = make_queue([cards], tmp)
speech_log = os.path.join(tmp, "speech.log")
event_log = os.path.join(tmp, "events.log")


def said(text, after=0):
    return [r for r in lines(speech_log) if int(r[0]) >= after and text in r[3]]


def ev(name):
    return [e for e in lines(event_log) if e[1] == name and e[2] == "cards"]


app = App("--local", db, "--no-demo", "--voice", "--speech-log", speech_log, "--event-log", event_log)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the task opens with the text field focused")
    tap.ok(wait_until(lambda: said("son of close"), 60), "the draft is read out")
    notes = said("Model proposal from pocketsphinx: a draft to check")
    start, stop = ev("playback-start"), ev("playback-stop")
    tap.ok(len(notes) == 1 and "2 unsure words. Alt+Right selects the next." in notes[0][3],
           f"that the text is the model's draft is said once, with the key: {notes}")
    tap.ok(notes and start and int(notes[0][0]) <= int(start[0][0]),
           f"before the recording plays: {notes[:1]} {start[:1]}")
    draft = said("son of close")
    intro = said("The model's draft:")
    tap.ok(stop and intro and int(intro[0][0]) >= int(stop[0][0]) and int(draft[0][0]) >= int(intro[0][0]),
           f"after the recording has played: stop {stop[:1]}, {intro[:1]}, {draft[:1]}")
    tap.ok(draft[0][2] == "en" and draft[0][1] == "queue", f"in the recording's language: {draft[0]}")
    tap.ok(len(said("The model's draft:")) == 1, "once")
    n = int(lines(speech_log)[-1][0])
    key("alt+Up")
    word = wait_until(lambda: [r for r in lines(speech_log) if int(r[0]) > n and r[3] == "son"], 5)
    unsure = wait_until(lambda: said("Unsure word: the model was 1% sure.", n + 1), 5)
    tap.ok(word and word[0][2] == "en" and word[0][1] == "interrupt",
           f"Alt+Up says the word at the cursor, in the recording's language: {word}")
    tap.ok(unsure and int(unsure[0][0]) >= int(word[0][0]), f"then how sure the model was: {unsure}")
    n = int(lines(speech_log)[-1][0])
    key("alt+shift+Right")
    key("alt+shift+Right")
    words = wait_until(lambda: [r[3] for r in lines(speech_log) if int(r[0]) > n and r[2] == "en"
                                and r[1] == "interrupt"], 5)
    wait_until(lambda: False, 0.5)
    words = [r[3] for r in lines(speech_log) if int(r[0]) > n and r[1] == "interrupt"]
    # From the start of the text, the first word is the next one.
    tap.ok(words[:2] == ["son", "of"], f"Alt+Shift+Right says the words one by one: {words}")
finally:
    code = app.close()
tap.ok(code == 0, f"the workstation quits cleanly (exit status {code})")
tap.done()
