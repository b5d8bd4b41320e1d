#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A blind worker's day on a local queue with box and transcription tasks:
in voice mode only the transcription tasks come; F4 passes one on with a
reason chosen by keyboard (each reason spoken), the task goes back to the
pool, and when no listening task is left the worker hears why."""
import os
import sqlite3
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, log_lines, make_queue, skip_unless_desktop, type_text, wait_until

skip_unless_desktop()
tap = Tap()
audio = os.path.join(DEMO, "audio")
coins = os.path.join(DEMO, "images", "coins.png")


def said(path, after=0):
    return [row[3] for row in log_lines(path)[after:] if len(row) >= 4]


def spoken(path, part, after=0):
    return wait_until(lambda: any(part in s for s in said(path, after)), 10)


def shown(path):
    return [(row[2], row[3]) for row in log_lines(path) if len(row) >= 4 and row[1] == "task-shown"]


tmp = tempfile.mkdtemp(prefix="annolab-route-")
box = {"kind": "bbox", "image": coins, "labels": ["coin"], "language": "en",
       "instructions": "Draw a box around each coin."}
db = make_queue([
    dict(box, id="b1"),
    {"id": "t1", "kind": "transcribe", "audio": os.path.join(audio, "cards-001.wav"), "language": "en",
     "instructions": "Type the cards you hear."},
    dict(box, id="b2"),
    {"id": "t2", "kind": "transcribe", "audio": os.path.join(audio, "cards-005.wav"), "language": "en",
     "instructions": "Type the cards you hear."},
    {"id": "t3", "kind": "transcribe", "audio": os.path.join(audio, "cards-001.wav"), "language": "en",
     "instructions": "Type the cards you hear."},
], tmp)
speech = os.path.join(tmp, "speech.log")
events = os.path.join(tmp, "events.log")
first_db = db

app = App("--local", db, "--no-demo", "--voice", "--participant", "sam", "--speech-log", speech,
          "--event-log", events)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None and spoken(speech, "Task 1 today."),
           "the first task is announced")
    tap.ok(shown(events)[:1] == [("t1", "transcribe")],
           f"in voice mode the first task is the recording, not the box task before it: {shown(events)}")

    # F4, then Escape: nothing happens to the task.
    n = len(log_lines(speech))
    key("F4")
    dialog = app.window("Pass on this task")
    tap.ok(dialog is not None, "F4 opens the chooser")
    tap.ok(spoken(speech, "Why can't you do it?", n) and
           any("Why can't you do it?" in s and "1  Too noisy or unclear" in s for s in said(speech, n)),
           "the question is spoken with the first reason")
    names = [b.name for b in app.all(dialog) if b.getRole() == pyatspi.ROLE_PUSH_BUTTON]
    tap.ok(names == ["1  Too noisy or unclear", "2  Wrong language", "3  Not for me",
                     "4  Something else", "Cancel (Escape)"],
           f"every reason has an accessible name: {names}")
    key("Down")
    tap.ok(spoken(speech, "2  Wrong language", n), "Down moves to the next reason and says it")
    key("Escape")
    tap.ok(spoken(speech, "Not passed on. Back to the task.", n), "Escape cancels, and says so")
    tap.ok(wait_until(lambda: app.window("Pass on this task", timeout=0.2) is None, 5),
           "the chooser is gone")

    # F4, arrows and Enter: passed with its reason.
    n = len(log_lines(speech))
    key("F4")
    tap.ok(app.window("Pass on this task") is not None, "F4 opens the chooser again")
    key("Down")
    spoken(speech, "2  Wrong language", n)
    key("Down")
    tap.ok(spoken(speech, "3  Not for me", n), "the third reason is said")
    key("Up")
    wait_until(lambda: said(speech, n)[-1:] == ["2  Wrong language"], 5)
    key("Return")
    tap.ok(spoken(speech, "Passed on: Wrong language.", n), "the pass is confirmed with its reason")
    tap.ok(wait_until(lambda: len(shown(events)) >= 2, 10) and shown(events)[1] == ("t2", "transcribe"),
           f"the next task is the next recording, not a box task: {shown(events)}")

    # A digit chooses at once.
    app.wait_focused(pyatspi.ROLE_TEXT)
    n = len(log_lines(speech))
    key("F4")
    app.window("Pass on this task")
    spoken(speech, "Why can't you do it?", n)
    key("1")
    tap.ok(spoken(speech, "Passed on: Too noisy or unclear.", n), "1 passes on at once as too noisy")
    tap.ok(wait_until(lambda: len(shown(events)) >= 3, 10) and shown(events)[2] == ("t3", "transcribe"),
           f"and the next recording comes: {shown(events)}")
    passed = [row for row in log_lines(events) if len(row) >= 4 and row[1] == "task-passed"]
    tap.ok([(r[2], r[3]) for r in passed] == [("t1", "language"), ("t2", "noisy")],
           f"the event log has the passes: {passed}")

    # The last recording is done; the box tasks are not for voice mode.
    app.wait_focused(pyatspi.ROLE_TEXT)
    wait_until(lambda: False, 1.5)
    n = len(log_lines(speech))
    type_text("seven of hearts")
    key("ctrl+Return")
    tap.ok(spoken(speech, "There are no tasks left for you in voice mode.", n),
           "with no listening task left, the worker hears why no task comes")
    tap.ok(spoken(speech, "your coach can give you other work", n), "and what to do")
    tap.ok(all(kind == "transcribe" for _, kind in shown(events)),
           f"never a box task in voice mode: {shown(events)}")
finally:
    app.close()

# Voice mode switched on mid-session: the next task follows at once.
tmp = tempfile.mkdtemp(prefix="annolab-route-switch-")
db = make_queue([
    dict(box, id="b1"), dict(box, id="b2"),
    {"id": "t1", "kind": "transcribe", "audio": os.path.join(audio, "cards-001.wav"), "language": "en"},
], tmp)
events = os.path.join(tmp, "events.log")
app = App("--local", db, "--no-demo", "--participant", "sam", "--event-log", events)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None and shown(events) == [("b1", "bbox")],
           "on the screen the first task is the box task")
    key("ctrl+comma")
    settings = app.window("Settings")
    voice = None
    for _ in range(12):
        key("Tab")
        node = next((n for n in app.all(settings) if n.getState().contains(pyatspi.STATE_FOCUSED)), None)
        if node is not None and (node.name or "").startswith("Voice mode"):
            voice = node
            break
    tap.ok(voice is not None, "Tab reaches the voice mode switch")
    key("space")
    tap.ok(voice is not None and wait_until(lambda: voice.getState().contains(pyatspi.STATE_CHECKED), 3),
           "Space switches voice mode on")
    key("Escape")
    wait_until(lambda: app.window("Settings", timeout=0.2) is None, 5)
    app.wait_focused(pyatspi.ROLE_IMAGE)
    key("F4")
    app.window("Pass on this task")
    key("3")
    tap.ok(wait_until(lambda: len(shown(events)) >= 2, 10) and shown(events)[1] == ("t1", "transcribe"),
           f"the next task is a recording, not the next box task: {shown(events)}")
finally:
    app.close()

c = sqlite3.connect(first_db)
rows = c.execute("SELECT t.id, p.reason FROM passes p JOIN tasks t ON t.seq = p.task_seq").fetchall()
tap.ok(sorted(rows) == [("t1", "language"), ("t2", "noisy")], f"the passes are stored with their reasons: {rows}")
results = c.execute("SELECT t.id FROM results r JOIN tasks t ON t.seq = r.task_seq").fetchall()
tap.ok(results == [("t3",)], f"a pass is no result, neither right nor wrong: {results}")
held = c.execute("SELECT count(*) FROM leases l JOIN tasks t ON t.seq = l.task_seq"
                 " WHERE t.id = 't1' AND l.state = 'active'").fetchone()[0]
tap.ok(held == 0, "the passed task is back in the pool for someone else")
c.close()
tap.done()
