#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nothing typed is lost: a result submitted survives kill -9 right after
the submit, and a draft typed before kill -9 comes back on restart."""
import os
import signal
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    type_text, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-crash-")
audio = os.path.join(DEMO, "audio")
db = make_queue([
    {"id": "s1", "kind": "transcribe", "audio": os.path.join(audio, "cards-001.wav"), "language": "en"},
    {"id": "s2", "kind": "transcribe", "audio": os.path.join(audio, "cards-002.wav"), "language": "en"},
], tmp)
args = ("--local", db, "--no-demo", "--participant", "tester")

app = App(*args)
view = app.wait_focused(pyatspi.ROLE_TEXT)
type_text("ten of clubs")
wait_until(lambda: text_of(view) == "ten of clubs", 5)
key("ctrl+Return")
# Kill the moment the next task is on screen: the submit must already be on disk.
wait_until(lambda: text_of(app.wait_focused(pyatspi.ROLE_TEXT) or view) == "", 5, 0.02)
os.kill(app.proc.pid, signal.SIGKILL)
app.proc.wait()
results = export(db)
tap.ok([r["task_id"] for r in results] == ["s1"], f"the submitted result survived kill -9: {results}")
tap.ok(results and results[0]["result"]["text"] == "ten of clubs", "with the text as typed")

app = App(*args)
view = app.wait_focused(pyatspi.ROLE_TEXT)
tap.ok(view is not None and text_of(view) == "", "after the restart the next task is open")
type_text("four queen")
wait_until(lambda: text_of(view) == "four queen", 5)
time.sleep(1.0)  # the draft is saved within half a second of the last key
os.kill(app.proc.pid, signal.SIGKILL)
app.proc.wait()

app = App(*args)
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(wait_until(lambda: text_of(view) == "four queen", 5),
           f"the draft typed before kill -9 is back: {text_of(view)!r}")
    type_text(" of clubs")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10) is not None, "the last task is submitted")
finally:
    app.close()
results = {r["task_id"]: r["result"]["text"] for r in export(db)}
tap.ok(results == {"s1": "ten of clubs", "s2": "four queen of clubs"},
       f"each task was stored exactly once: {results}")
tap.done()
