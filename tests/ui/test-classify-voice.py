#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Voice mode on a recording to classify: the question is said, then the
choices with their digits, and only then does the recording play; a digit
pressed during the recording is said in a pause of it, never over it; the
feedback on the practice task names the expected choice; the next task
follows in the same order. Speech log and event log, both on one clock."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-classify-voice-")
audio = os.path.join(DEMO, "audio")
db = make_queue([
    {"id": "first", "kind": "classify", "audio": os.path.join(audio, "austen-0870.wav"),
     "start": 0.0, "end": 3.0, "choices": ["muziek", "spraak", "stilte"], "training": True,
     "gold": {"choices": ["spraak"]},
     "instructions": {"en": "What do you hear?", "nl": "Wat hoor je?"}},
    {"id": "second", "kind": "classify", "audio": os.path.join(audio, "cards-003.wav"),
     "choices": ["man", "vrouw"], "instructions": {"en": "Who speaks?", "nl": "Wie spreekt er?"}},
], tmp)
speech_log = os.path.join(tmp, "speech.log")
event_log = os.path.join(tmp, "events.log")


def said():
    return lines(speech_log)


def first(part, after=-1):
    for i, row in enumerate(said()):
        if i > after and part in row[3]:
            return i
    return None


def ev(name, task=None):
    return [e for e in lines(event_log) if e[1] == name and (task is None or e[2] == task)]


app = App("--local", db, "--no-demo", "--voice", "--speech-log", speech_log, "--event-log", event_log)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_PUSH_BUTTON) is not None, "the first choice has the keyboard")
    tap.ok(wait_until(lambda: ev("playback-start", "first"), 20),
           "the recording plays by itself once the task has been said")
    wait_until(lambda: False, 1.0)
    key("2")
    tap.ok(wait_until(lambda: first("spraak chosen") is not None, 10), "the digit's choice is said")
    tap.ok(wait_until(lambda: ev("playback-stop", "first") and
                      float(ev("playback-stop", "first")[-1][3]) >= 2.9, 20),
           "the recording plays to its end")
    key("ctrl+Return")
    tap.ok(wait_until(lambda: ev("playback-start", "second"), 40), "the next recording plays by itself")
    tap.ok(wait_until(lambda: ev("playback-stop", "second"), 20), "and to its end")
finally:
    status = app.close()
tap.ok(status == 0, f"the voice-mode workstation quits cleanly (exit status {status})")

rows = said()
texts = [r[3] for r in rows]
order = [first("Task 1 today. What do you hear?"), first("Recording, 3 seconds. Choices: 1 muziek, "
                                                        "2 spraak, 3 stilte."),
         first("spraak chosen"), first("Saved."), first("Task 2 today. Who speaks?"),
         first("Choices: 1 man, 2 vrouw.")]
tap.ok(None not in order and order == sorted(order),
       f"said in order: the question, the choices, the pick, the feedback, the next task: {order} {texts}")
saved = rows[order[3]][3] if order[3] is not None else ""
tap.ok("The expected answer was “spraak”" in saved or "You chose the right answer: “spraak”." in saved,
       f"the feedback names the expected choice: {saved!r}")
tap.ok(all(r[2] == "en" for r in rows), "all in the session language")

ends = [e for e in lines(event_log) if e[1] in ("speech-end", "speech-cut")]
tap.ok(len(ends) == len(rows) and all(s[3] == e[3] for s, e in zip(rows, ends)),
       f"every utterance has its end in the event log ({len(rows)}, {len(ends)})")
utterances = [(int(s[0]), int(e[0]), s[3]) for s, e in zip(rows, ends)]
playback, start = [], None
for e in lines(event_log):
    if e[1] == "playback-start":
        start = int(e[0])
    elif e[1] == "playback-stop" and start is not None:
        playback.append((start, int(e[0]), e[2]))
        start = None
tap.ok(len(playback) >= 2, f"playback starts and stops in pairs: {playback}")
choices = [u for u in utterances if u[2].startswith("Recording, 3 seconds. Choices:")]
tap.ok(choices and playback and choices[0][1] <= playback[0][0],
       f"the choices are said in full before the recording plays: {choices} {playback[:1]}")
overlaps = [(u, p) for u in utterances for p in playback if u[0] < p[1] and p[0] < u[1]]
tap.ok(not overlaps, f"nothing is said while the recording plays: {overlaps}")
tap.done()
