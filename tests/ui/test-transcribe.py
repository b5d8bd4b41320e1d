#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Transcription with the keyboard alone, through AT-SPI: Ctrl+Space, type
'hello world', Ctrl+Enter, and the stored result is 'hello world'. Then in
voice mode, on real speech: the segment is announced before the recording
plays, and nothing is said while it plays, also when a typed word is
echoed in the middle of the recording (the recording waits for it)."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    type_text, wait_until
from annolab_ui import log_lines as lines

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-transcribe-")


# 1. Keyboard only, result read back from the queue.
d1 = os.path.join(tmp, "plain")
os.makedirs(d1)
db = make_queue([{"id": "t1", "kind": "transcribe", "language": "en",
                  "audio": os.path.join(DEMO, "audio", "austen-0880.wav")}], d1)
app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None, "the transcription task opens with the text field focused")
    key("ctrl+space")
    node = app.find(contains="Playing ·", timeout=3)
    tap.ok(node is not None, "Ctrl+Space plays the segment")
    type_text("hello world")
    tap.ok(wait_until(lambda: text_of(view) == "hello world", 5), "the typed text is in the field")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10 * app.slow) is not None,
           "Ctrl+Enter submits, and no tasks are left")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")
results = export(db)
tap.ok(len(results) == 1 and results[0]["task_id"] == "t1" and
       results[0]["result"] == {"text": "hello world"},
       f"the stored result text is 'hello world': {results}")

# 2. Voice mode: speech and the task audio never overlap.
d2 = os.path.join(tmp, "voice")
os.makedirs(d2)
db = make_queue([
    {"id": "v1", "kind": "transcribe", "language": "en",
     "audio": os.path.join(DEMO, "audio", "austen-0890.wav"), "start": 0.5, "end": 4.5,
     "segment": {"index": 1, "count": 2}},
    {"id": "v2", "kind": "transcribe", "language": "en",
     "audio": os.path.join(DEMO, "audio", "cards-005.wav"), "segment": {"index": 2, "count": 2}},
], d2)
speech_log = os.path.join(d2, "speech.log")
event_log = os.path.join(d2, "events.log")
app = App("--local", db, "--no-demo", "--voice", "--speech-log", speech_log, "--event-log", event_log)


def ev(name, task=None):
    return [e for e in lines(event_log) if e[1] == name and (task is None or e[2] == task)]


try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(wait_until(lambda: ev("playback-start", "v1"), 20),
           "voice mode plays the first segment by itself once it has been announced")
    wait_until(lambda: False, 0.8)
    type_text("hello ")  # the space ends a word: it is said back
    tap.ok(wait_until(lambda: len(ev("playback-start", "v1")) >= 2, 10),
           "the recording goes on after the typed word has been said")
    type_text("world")
    tap.ok(wait_until(lambda: ev("playback-stop", "v1") and
                      float(ev("playback-stop", "v1")[-1][3]) >= 3.9, 15),
           "the first segment plays to its end")
    key("ctrl+Return")
    tap.ok(wait_until(lambda: ev("playback-start", "v2"), 30), "the next segment plays by itself")
    tap.ok(wait_until(lambda: ev("playback-stop", "v2") and
                      float(ev("playback-stop", "v2")[-1][3]) >= 3.4, 15),
           "the second segment plays to its end")
finally:
    status = app.close()
tap.ok(status == 0, f"the voice-mode workstation quits cleanly (exit status {status})")

said = lines(speech_log)
ends = [e for e in lines(event_log) if e[1] in ("speech-end", "speech-cut")]
tap.ok(len(said) >= 4 and len(ends) == len(said) and
       all(s[3] == e[3] for s, e in zip(said, ends)),
       f"every utterance in the speech log has its end in the event log ({len(said)}, {len(ends)})")
utterances = [(int(s[0]), int(e[0]), s[3]) for s, e in zip(said, ends)]
tap.ok(all(a <= b for a, b, _ in utterances), "no utterance ends before it starts")

playback = []
start = None
for e in lines(event_log):
    if e[1] == "playback-start":
        start = int(e[0])
    elif e[1] == "playback-stop" and start is not None:
        playback.append((start, int(e[0]), e[2]))
        start = None
tap.ok(start is None and len(playback) >= 3,
       f"playback starts and stops in pairs: {[(a, b, t) for a, b, t in playback]}")

first_play = playback[0][0] if playback else 0
announce = [u for u in utterances if u[2].startswith("Segment 1 of 2, 4 seconds, English")]
tap.ok(announce and announce[0][1] <= first_play,
       f"the segment is announced, and said in full, before playback starts: {announce} < {first_play}")
echo = [u for u in utterances if u[2] == "hello"]
tap.ok(echo and playback[0][1] <= echo[0][0] and echo[0][1] <= playback[1][0],
       f"the typed word is said in a pause of the recording: {echo} between {playback[:2]}")
overlaps = [(u, p) for u in utterances for p in playback if u[0] < p[1] and p[0] < u[1]]
tap.ok(not overlaps, f"nothing is said while the task audio plays: {overlaps}")
heard = sum(b - a for a, b, _ in playback)
tap.ok(heard >= 0.9 * (4000 + 3500), f"both recordings were played in full ({heard} ms)")
tap.done()
