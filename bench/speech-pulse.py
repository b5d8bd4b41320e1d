#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Speech through a real sound server, from a key press in the real window
to the recorded audio.

PulseAudio with a null sink (tests/ui/sound_server.py); the workstation runs
in voice mode under Xvfb and speaks to it through pulsesink, and the sink's
monitor is recorded while xdotool presses keys in the window (XTEST, as a
keyboard does). Each round, from silence: Ctrl+Shift+R, which reads back the
typed text (a long answer); 300 to 500 ms into it, Ctrl+Up or Ctrl+Down,
whose short answer ("Snelheid 1,25") cuts it. From the recording, not from
logs:
  key press to the first speech sample at the monitor (from silence),
  new key press to silence of the utterance it cuts (what sounds after the
  press is the rest of the old words, then the short answer; its length,
  measured from silence first, puts where the old words stopped).
A press's time is taken just before it is written to xdotool, which stays
running (the time until xdotool has sent it is printed to stderr).
Run under xvfb-run; prints tab-separated figures for bench/run (aim: 20 ms)."""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "ui"))
import orca_session  # noqa: E402

orca_session.private_session(needs=("pulseaudio", "pactl", "parec", "xdotool"))

import pyatspi  # noqa: E402

import sound_server  # noqa: E402
from annolab_ui import DEMO, App, log_lines, make_queue, type_text, wait_until  # noqa: E402

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 100
tmp = os.path.join(os.environ[orca_session.MARK], "speech-pulse")
os.makedirs(tmp)
db = make_queue([{"id": "p1", "kind": "transcribe", "language": "en",
                  "instructions": {"nl": "Typ wat je hoort.", "en": "Type what you hear."},
                  "audio": os.path.join(DEMO, "audio", "austen-0880.wav")}], tmp)
events = os.path.join(tmp, "events.log")
marks, spawn = [], []


class Keyboard:
    """One xdotool reading commands from its standard input: starting one
    per press took 40 to 150 ms here, more than what is measured."""

    def __init__(self):
        self.proc = subprocess.Popen(["xdotool", "-"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, bufsize=0)

    def press(self, keys):
        """One key press in the focused window through XTEST; returns the
        time just before it was asked for. The mouse location asked after
        it tells when xdotool has sent it."""
        t = time.monotonic()
        self.proc.stdin.write(f"key --delay 0 {keys}\ngetmouselocation\n".encode())
        self.proc.stdout.readline()
        spawn.append((time.monotonic() - t) * 1000)
        return t

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(5)


pulse = rec = app = keyboard = None
try:
    pulse = sound_server.PulseAudio(tmp)
    rec = sound_server.Recorder()
    app = App("--local", db, "--no-demo", "--voice", "--audio-sink", "auto", "--speech-output",
              "espeak", "--event-log", events, lang="nl")
    if app.wait_focused(pyatspi.ROLE_TEXT) is None:
        sys.exit("speech-pulse: the transcription task did not open")
    # The recording plays once after the intro; then the text to read back.
    wait_until(lambda: any(e[1] == "playback-stop" for e in log_lines(events)), 30)
    type_text("it is a truth universally acknowledged")
    wid = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(app.proc.pid)],
                         capture_output=True, text=True).stdout.split()
    if not wid:
        sys.exit("speech-pulse: no window of annolab found by xdotool")
    subprocess.run(["xdotool", "windowfocus", "--sync", wid[-1]], check=False)
    keyboard = Keyboard()
    sound_server.wait_quiet(rec, 400)
    # The short answers alone, from silence: how long each sounds.
    for i in range(6):
        sound_server.wait_quiet(rec, 250)
        marks.append(("alone-up" if i % 2 == 0 else "alone-down",
                      keyboard.press("ctrl+Up" if i % 2 == 0 else "ctrl+Down")))
        time.sleep(1.5)
    for i in range(rounds):
        sound_server.wait_quiet(rec, 250)
        marks.append(("press", keyboard.press("ctrl+shift+r")))
        time.sleep(0.3 + (i % 5) * 0.05)
        marks.append(("cut", keyboard.press("ctrl+Up" if i % 2 == 0 else "ctrl+Down")))
        time.sleep(0.3)
    # Ctrl alone stops speaking (win.hush): nothing new follows, so the end
    # of the old words is in the recording itself.
    for i in range(rounds):
        sound_server.wait_quiet(rec, 250)
        marks.append(("read", keyboard.press("ctrl+shift+r")))
        time.sleep(0.3 + (i % 5) * 0.05)
        marks.append(("hush", keyboard.press("ctrl")))
        time.sleep(0.3)
    sound_server.wait_quiet(rec, 400)
finally:
    if keyboard:
        keyboard.close()
    try:
        if app:
            app.close()
    finally:
        try:
            if rec:
                rec.stop()
        finally:
            if pulse:
                pulse.stop()

speech = sound_server.Track(rec, "left", window_ms=1)
first, silent, missed = [], [], 0
# The end of all speech after a press: its answer has a pause of its own
# shorter than this.
END_MS = 150
length = {"up": [], "down": []}
for i, (kind, t) in enumerate(marks):
    if kind.startswith("alone-"):
        s = speech.first_sound(t, t + 1.0)
        e = speech.silence_from(s, END_MS) if s is not None else None
        if e is not None:
            length[kind[6:]].append(e - s)
answer = {k: statistics.median(v) for k, v in length.items() if v}
rounds_marks = [m for m in marks if m[0] in ("press", "cut")]
hushed, reads = [], 0
hush_marks = [m for m in marks if m[0] in ("read", "hush")]
for i, (kind, t) in enumerate(hush_marks):
    nxt = hush_marks[i + 1][1] if i + 1 < len(hush_marks) else t + 2.0
    if kind == "read":
        if speech.first_sound(t, nxt) is None:
            missed += 1
        else:
            reads += 1
        continue
    sounding = speech.first_sound(t - 0.05, t) is not None
    e = speech.silence_from(t, END_MS)
    if not sounding or e is None or e > nxt:
        missed += 1
    else:
        hushed.append(max(0.0, (e - t) * 1000))
for i, (kind, t) in enumerate(rounds_marks):
    nxt = rounds_marks[i + 1][1] if i + 1 < len(rounds_marks) else t + 2.0
    if kind == "press":
        s = speech.first_sound(t, nxt)
        if s is None:
            missed += 1
        else:
            first.append((s - t) * 1000)
    else:
        # Only a cut of something that is sounding counts. What sounds after
        # the press is the rest of the old words, then the short answer,
        # whose length is known: the old words stopped that long before the
        # end.
        sounding = speech.first_sound(t - 0.05, t) is not None
        e = speech.silence_from(t, END_MS)
        d = answer.get("up" if (i // 2) % 2 == 0 else "down")
        if not sounding or e is None or d is None or e > nxt:
            missed += 1
        else:
            silent.append(max(0.0, (e - d - t) * 1000))


def p95(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * 0.95))]


print(f"short answers sound {', '.join(f'{k} {v * 1000:.0f} ms' for k, v in answer.items())}",
      file=sys.stderr)
print(f"presses {len(first)} answered, {len(silent)} cut, {len(hushed)} stopped by Ctrl, "
      f"{missed} not found; xdotool had "
      f"sent a press after {statistics.median(spawn):.2f} ms (median)", file=sys.stderr)
# A press whose answer never sounded (dropped, or later than the next press)
# is not in the latency figures: it is counted here.
print(f"speech: presses heard at the PulseAudio monitor\t{len(first) + len(silent) + reads + len(hushed)}"
      f"\tof\tpresses\t"
      f"{len(marks)}")
for name, v in (("key press to first speech sample at the PulseAudio monitor", first),
                ("Ctrl (stop speaking) to silence of the old utterance at the PulseAudio monitor",
                 hushed),
                ("key press to its short answer in place of the old utterance at the PulseAudio "
                 "monitor", silent)):
    if v:
        print(f"speech: {name}, median\t{statistics.median(v):.1f}\tms\taim\t20")
        print(f"speech: {name}, p95\t{p95(v):.1f}\tms\taim\t20")
        print(f"{name}: median {statistics.median(v):.1f} ms, p95 {p95(v):.1f} ms, "
              f"max {max(v):.1f} ms (n={len(v)})", file=sys.stderr)
