#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Own keys for a foot pedal: with a key file that gives play/pause to F5,
F5 plays the recording and Ctrl+Space no longer does; the player buttons
and the F1 help name the keys in force. A key file with a mistake is
named with its line, and the standard keys stay in force."""
import os
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-keys-")
AUDIO = os.path.join(DEMO, "audio", "austen-0870.wav")  # 7.1 s of real speech


def fresh_queue(name):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    return make_queue([{"id": f"{name}-1", "kind": "transcribe", "audio": AUDIO, "language": "en"}], d)


def events(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def playing(app):
    """The playback line under the waveform: 'Playing · 1.2 of 7.1 s · speed 1.00×'."""
    node = app.find(contains=" of 7.1 s", timeout=0.2)
    return (node.name or text_of(node)) if node else ""


pedal = os.path.join(tmp, "pedal.ini")
with open(pedal, "w") as f:
    f.write("# A foot pedal: left, middle, right\n[keys]\n"
            "transcribe.back=F6\ntranscribe.play-pause=F5\ntranscribe.forward=F7\n")
log = os.path.join(tmp, "pedal-events.log")
app = App("--local", fresh_queue("pedal"), "--no-demo", "--keys", pedal, "--event-log", log)
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None, "the transcription task opens with the text field focused")
    tap.ok(app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Play / pause (F5)", timeout=5) is not None,
           "the play button names F5")
    tap.ok(app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Back 2 s (F6)", timeout=1) is not None,
           "the back button names F6")
    key("ctrl+space")
    wait_until(lambda: False, 0.8)
    tap.ok(playing(app).startswith("Paused") and
           not any(e[1] == "playback-start" for e in events(log)),
           f"Ctrl+Space no longer plays: {playing(app)!r}")
    key("F5")
    tap.ok(wait_until(lambda: playing(app).startswith("Playing"), 3), f"F5 plays: {playing(app)!r}")
    tap.ok(wait_until(lambda: any(e[1] == "playback-start" and e[2] == "pedal-1" for e in events(log)),
                      2), "the event log has the playback start of the task")
    wait_until(lambda: False, 1.0)
    key("F5")
    tap.ok(wait_until(lambda: playing(app).startswith("Paused"), 3), f"F5 again pauses: {playing(app)!r}")
    pos = float(playing(app).split("·")[1].split()[0])
    tap.ok(0.5 < pos < 3.0, f"the recording played about a second before the pause ({pos} s)")
    key("F1")
    help_window = app.window("Keys")
    help_label = help_window and app.find(contains="F5: play or pause", timeout=5, root=help_window)
    tap.ok(help_label is not None, "F1 shows F5 as the play/pause key")
    helptext = text_of(help_label) if help_label else ""
    tap.ok("Ctrl+Space" not in helptext and "F6: back 2 seconds" in helptext and
           "Ctrl+Enter: submit" in helptext, "the help lists the keys in force, and only those")
    key("Escape")
finally:
    app.close()

bad = os.path.join(tmp, "config", "annolab", "keys.ini")
os.makedirs(os.path.dirname(bad))
with open(bad, "w") as f:
    f.write("[keys]\ntranscribe.play-pause=F5\ntranscribe.back=<Contrl>Left\n")
app = App("--local", fresh_queue("bad"), "--no-demo", env={"XDG_CONFIG_HOME": os.path.join(tmp, "config")})
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    notice = app.find(contains="standard keys apply", timeout=5)
    said = (notice.name or text_of(notice)) if notice else ""
    tap.ok(f"{bad}:3:" in said and "<Contrl>" in said,
           f"the window names the key file, its line and the mistake: {said!r}")
    tap.ok("keys.ini:3:" in app.stderr(), "so does the log")
    tap.ok(app.find(role=pyatspi.ROLE_PUSH_BUTTON, name="Play / pause (Ctrl+Space)", timeout=2)
           is not None, "the standard play key is back on the button")
    key("ctrl+space")
    tap.ok(wait_until(lambda: playing(app).startswith("Playing"), 3),
           f"Ctrl+Space plays with the standard keys: {playing(app)!r}")
finally:
    app.close()
tap.done()
