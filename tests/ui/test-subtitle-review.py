#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Subtitle review with the keyboard alone, through AT-SPI: the demo
programme (five cues, three of them deliberately wrong) imported with
annolab-queue, each cue judged correct (Ctrl+1), its text corrected
(Ctrl+2) or its timing moved in 100 ms steps (Ctrl+3, Alt+arrows). The
reviews are read back with annolab-queue export, and the corrected
WebVTT and SRT are what the programme should be and parse in GStreamer."""
import os
import shutil
import subprocess
import tempfile

import pyatspi

from annolab_ui import DEMO, SOURCE, App, Tap, export, key, queue, skip_unless_desktop, text_of, \
    type_text, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-subtitles-")
programme = os.path.join(DEMO, "programme")
db = os.path.join(tmp, "queue.db")
queue(db, "import", os.path.join(programme, "programme.vtt"), "--media",
      os.path.join(programme, "programme.wav"), "--language", "en")


def pressed(node):
    s = node.getState()
    return s.contains(pyatspi.STATE_CHECKED) or s.contains(pyatspi.STATE_PRESSED)


def submit_and_wait(app, next_cue):
    key("ctrl+Return")
    return app.find(contains=next_cue, timeout=10 * app.slow)


app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    first = app.wait_focused(pyatspi.ROLE_PUSH_BUTTON)
    tap.ok(first is not None and first.name == "Ctrl+1: Correct",
           f"a cue opens with its first verdict focused: {first.name if first else None}")
    group = app.find(name="Verdict", timeout=3)
    names = [n.name for n in app.all(group) if n.getRole() == pyatspi.ROLE_PUSH_BUTTON] if group else []
    tap.ok(names == ["Ctrl+1: Correct", "Ctrl+2: Wrong text", "Ctrl+3: Wrong timing"],
           f"the verdicts are buttons named with their keys: {names}")
    tap.ok(app.find(contains="Cue 1, from 0.0 to 7.1 seconds", timeout=3) is not None,
           "the cue's number and span are on the screen")
    tap.ok(app.find(contains="And Mister John Dashwood had then leisure", timeout=3) is not None,
           "and so is its text")
    key("ctrl+Return")
    tap.ok(app.find(contains="Not judged yet. Ctrl+1: the cue is right", timeout=5) is not None,
           "Ctrl+Enter before a verdict says which keys judge")
    key("F1")
    help_window = app.window("Keys")
    helpline = help_window and app.find(contains="start 0.1 s earlier", timeout=5, root=help_window)
    helptext = text_of(helpline) if helpline else ""
    tap.ok("Alt+Left" in helptext and "Ctrl+2" in helptext,
           f"F1 lists the review keys: {helptext!r}")
    key("Escape")
    app.wait_focused(pyatspi.ROLE_PUSH_BUTTON)
    key("ctrl+1")
    correct = app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Ctrl+1: Correct", timeout=3)
    tap.ok(wait_until(lambda: pressed(correct), 3), "Ctrl+1 judges the cue correct")
    tap.ok(submit_and_wait(app, "Cue 2,") is not None, "Ctrl+Enter submits, and cue 2 follows")

    # Cue 2: "old man" where "young man" is said.
    key("ctrl+2")
    entry = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(entry is not None and entry.name == "Corrected subtitle" and
           text_of(entry) == "He was not an ill disposed old man.",
           f"Ctrl+2 opens the text field with the cue's text: {text_of(entry) if entry else None!r}")
    key("ctrl+a")
    type_text("He was not an ill disposed young man.")
    tap.ok(wait_until(lambda: text_of(entry) == "He was not an ill disposed young man.", 3),
           "the text is corrected in the field")
    tap.ok(submit_and_wait(app, "Cue 3,") is not None, "cue 3 follows")
    key("ctrl+1")
    tap.ok(submit_and_wait(app, "Cue 4,") is not None, "cue 4 follows")

    # Cue 4: 0.5 s late at the start, 0.3 s at the end.
    key("ctrl+3")
    tap.ok(app.find(contains="Timing: from 17.1 to 22.9 seconds", timeout=5) is not None,
           "Ctrl+3 shows the timing")
    for _ in range(5):
        key("alt+Left", delay=0.15)
    for _ in range(3):
        key("alt+shift+Left", delay=0.15)
    tap.ok(app.find(contains="Timing: from 16.6 to 22.6 seconds", timeout=5) is not None,
           "Alt+Left and Alt+Shift+Left move start and end in steps of 0.1 s")
    tap.ok(app.find(contains="Playing ·", timeout=5 * app.slow) is not None,
           "and the span plays again as it now stands")
    tap.ok(submit_and_wait(app, "Cue 5,") is not None, "cue 5 follows")

    # Cue 5: "herself" for "himself".
    key("ctrl+2")
    entry = app.wait_focused(pyatspi.ROLE_TEXT)
    for _ in range(len("herself.")):
        key("BackSpace")
    tap.ok(wait_until(lambda: entry and text_of(entry) ==
                      "He might even have been made amiable ", 3),
           f"the cursor starts after the cue's last word: {text_of(entry) if entry else None!r}")
    type_text("himself.")
    tap.ok(wait_until(lambda: entry and text_of(entry) ==
                      "He might even have been made amiable himself.", 3),
           "a field opened again holds this cue's text, corrected at its end")
    key("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10 * app.slow) is not None,
           "the last cue is submitted, and no tasks are left")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

results = {r["task_id"]: r["result"] for r in export(db)}
tap.ok(results.get("programme-cue-1") == {"verdict": "correct", "text": results.get(
           "programme-cue-1", {}).get("text"), "start": 0.0, "end": 7.1} and
       results["programme-cue-1"]["text"].startswith("And Mister John Dashwood"),
       f"cue 1 is read back as correct: {results.get('programme-cue-1')}")
tap.ok(results.get("programme-cue-2", {}).get("verdict") == "text" and
       results["programme-cue-2"]["text"] == "He was not an ill disposed young man.",
       f"cue 2's corrected text is read back: {results.get('programme-cue-2')}")
cue4 = results.get("programme-cue-4", {})
tap.ok(cue4.get("verdict") == "timing" and abs(cue4.get("start", 0) - 16.59) < 1e-6 and
       abs(cue4.get("end", 0) - 22.64) < 1e-6,
       f"cue 4's moved timing is read back: {cue4}")

out = os.path.join(tmp, "out")
queue(db, "export", "--format", "webvtt", "--consensus", "--output", out)
with open(os.path.join(out, "programme.vtt")) as f:
    written = f.read()
with open(os.path.join(SOURCE, "tests", "subtitles", "programme.corrected.vtt")) as f:
    expected = f.read()
tap.ok(written == expected, f"the corrected WebVTT is the programme as it should be: {written!r}")
with open(os.path.join(out, "programme.changes.txt")) as f:
    report = f.read()
tap.ok(report.startswith("programme.wav: 5 cues, 3 changed\n") and "cue 3 " in report,
       f"the report lists every cue and what changed: {report!r}")
srt_out = os.path.join(tmp, "srt")
queue(db, "export", "--format", "srt", "--consensus", "--output", srt_out)
gst = shutil.which("gst-launch-1.0")
for path in (os.path.join(out, "programme.vtt"), os.path.join(srt_out, "programme.srt")):
    if gst is None:
        tap.ok(True, f"# SKIP no gst-launch-1.0 to parse {path}")
        continue
    r = subprocess.run([gst, "-q", "filesrc", f"location={path}", "!", "subparse", "!",
                        "fakesink"], capture_output=True, text=True, timeout=30)
    tap.ok(r.returncode == 0 and not r.stderr.strip(),
           f"GStreamer's subparse reads {os.path.basename(path)}: {r.returncode} {r.stderr!r}")
tap.done()
