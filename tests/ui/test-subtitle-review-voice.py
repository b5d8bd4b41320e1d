#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Voice mode on a subtitle review, in a Dutch session on an English
programme: the task is said, the cue's span plays, and only then is the
cue's text said, in English; Ctrl+Shift+R says it again and Ctrl+R plays
the span again, never over each other; the verdict is said in Dutch.
Speech log and event log, both on one clock."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, queue, skip_unless_desktop, wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-subtitles-voice-")
programme = os.path.join(DEMO, "programme")
db = os.path.join(tmp, "queue.db")
queue(db, "import", os.path.join(programme, "programme.vtt"), "--media",
      os.path.join(programme, "programme.wav"), "--language", "en")
speech_log = os.path.join(tmp, "speech.log")
event_log = os.path.join(tmp, "events.log")
CUE_1 = "And Mister John Dashwood had then leisure"
CUE_2 = "He was not an ill disposed old man."


def said():
    return lines(speech_log)


def first(part, after=-1):
    for i, row in enumerate(said()):
        if i > after and part in row[3]:
            return i
    return None


def ev(name, task=None):
    return [e for e in lines(event_log) if e[1] == name and (task is None or e[2] == task)]


app = App("--local", db, "--no-demo", "--voice", "--speech-log", speech_log, "--event-log",
          event_log, lang="nl")
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_PUSH_BUTTON) is not None, "the first verdict has the keyboard")
    tap.ok(wait_until(lambda: ev("playback-stop", "programme-cue-1"), 40),
           "the span plays by itself once the task has been said, to its end")
    tap.ok(wait_until(lambda: first(CUE_1) is not None, 20), "then the cue's text is said")
    key("ctrl+shift+r")
    tap.ok(wait_until(lambda: first(CUE_1, first(CUE_1)) is not None, 20),
           "Ctrl+Shift+R says the cue again")
    key("ctrl+r")
    tap.ok(wait_until(lambda: len(ev("playback-stop", "programme-cue-1")) >= 2, 40),
           "Ctrl+R plays the span again")
    key("ctrl+1")
    tap.ok(wait_until(lambda: first("Goed.") is not None, 10), "Ctrl+1 is said: Goed.")
    key("ctrl+Return")
    tap.ok(wait_until(lambda: first(CUE_2) is not None, 60),
           "the next cue plays and then its text is said")
finally:
    status = app.close()
tap.ok(status == 0, f"the voice-mode workstation quits cleanly (exit status {status})")

rows = said()
texts = [r[3] for r in rows]
cue_rows = [r for r in rows if CUE_1 in r[3] or CUE_2 in r[3]]
tap.ok(len(cue_rows) >= 3 and all(r[2] == "en" for r in cue_rows),
       f"the cues are said in the programme's language: {[(r[2], r[3][:20]) for r in cue_rows]}")
tap.ok(all(r[2] == "nl" for r in rows if r not in cue_rows),
       f"everything else in the session's: {[(r[2], r[3][:30]) for r in rows if r not in cue_rows]}")
order = [first("Ondertitel 1"), first(CUE_1), first(CUE_1, first(CUE_1)), first("Goed."),
         first("Ondertitel 2"), first(CUE_2)]
tap.ok(None not in order and order == sorted(order),
       f"said in order: the task, its cue, the cue again, the verdict, the next task and cue: "
       f"{order} {texts}")

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
tap.ok(len(playback) >= 3, f"playback starts and stops in pairs: {playback}")
cue_said = [u for u in utterances if CUE_1 in u[2]]
tap.ok(cue_said and playback and playback[0][1] <= cue_said[0][0],
       f"the span plays before its text is said: {playback[:1]} {cue_said[:1]}")
overlaps = [(u, p) for u in utterances for p in playback if u[0] < p[1] and p[0] < u[1]]
tap.ok(not overlaps, f"nothing is said while the span plays: {overlaps}")
tap.done()
