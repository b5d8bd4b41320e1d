#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Twenty transcription tasks in voice mode through a real sound server:
the milliseconds in which speech and the task recording sound at the same
time, measured in the recording of the null sink's monitor (speech on one
channel, the task recording on the other; tests/ui/sound_server.py). Each
task: the intro is said, the recording plays after it, the worker types
(the word is echoed) and submits ("Bewaard." is said while the next task
loads). Run under xvfb-run; prints figures for
bench/run."""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "ui"))
import orca_session  # noqa: E402

orca_session.private_session(needs=("pulseaudio", "pactl", "parec"))

import sound_server  # noqa: E402
from annolab_ui import DEMO, App, key, log_lines, make_queue, type_text, wait_until  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
tmp = os.path.join(os.environ[orca_session.MARK], "overlap")
os.makedirs(tmp)
audio = sorted(f for f in os.listdir(os.path.join(DEMO, "audio")) if f.endswith(".wav"))
tasks = [{"id": f"v{i:02d}", "kind": "transcribe", "language": "en",
          "instructions": {"nl": "Typ wat je hoort.", "en": "Type what you hear."},
          "audio": os.path.join(DEMO, "audio", audio[i % len(audio)])} for i in range(n)]
db = make_queue(tasks, tmp)
events = os.path.join(tmp, "events.log")
# Whatever fails, PulseAudio and parec are stopped in the finally block.
pulse = rec = app = None


def count(kind):
    return len([e for e in log_lines(events) if e[1] == kind])


def playback(task_id):
    return [e for e in log_lines(events) if e[2] == task_id and e[1].startswith("playback")]


def finished(task_id):
    """The recording stopped and stayed stopped for a second."""
    evs = playback(task_id)
    if not evs or evs[-1][1] != "playback-stop":
        return False
    before = len(evs)
    time.sleep(1.0)
    return len(playback(task_id)) == before


try:
    pulse = sound_server.PulseAudio(tmp)
    rec = sound_server.Recorder()
    app = App("--local", db, "--no-demo", "--voice", "--audio-sink", "auto", "--speech-output",
              "espeak", "--event-log", events, lang="nl")
    for i in range(n):
        tid = f"v{i:02d}"
        wait_until(lambda: playback(tid), 30)
        wait_until(lambda: finished(tid), 40)
        type_text("ja")
        time.sleep(0.3)
        key("ctrl+Return")
        wait_until(lambda: count("task-shown") > i + 1 or i == n - 1, 15)
    time.sleep(1.0)
finally:
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

speech = sound_server.Track(rec, "left")
task = sound_server.Track(rec, "right")
both = sound_server.overlap_ms(speech, task)
print(f"{n} tasks: speech {sound_server.loud_ms(speech) / 1000:.1f} s, task recordings "
      f"{sound_server.loud_ms(task) / 1000:.1f} s, both at once {both:.0f} ms "
      f"(threshold {speech.threshold} of 32767, 2 ms windows)", file=sys.stderr)
print(f"voice mode: speech and task recording at the same time, {n} tasks\t{both:.0f}\tms\taim\t0")
print(f"voice mode: task recording heard, {n} tasks\t{sound_server.loud_ms(task) / 1000:.1f}\ts\t\t")
