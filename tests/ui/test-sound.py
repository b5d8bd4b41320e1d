#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Voice mode through a real sound server, measured in the recorded audio.

The test starts PulseAudio with a null sink (sound_server.py: speech on the
left channel of the recording, the task recording on the right), records
the sink's monitor while it drives the workstation by keyboard, and checks
from the samples: a speed change in the middle of a recording lets it go on
at the new speed (and it still pauses and plays), a key press is heard
soon, a new key press cuts what was being said, Ctrl alone silences it,
and speech and the task
recording never sound at the same time.
The bounds are loose, for a busy machine; bench/speech-pulse.py and
bench/voice-overlap.py have the tight figures."""
import os
import statistics
import sys
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import orca_session  # noqa: E402

orca_session.private_session(needs=("pulseaudio", "pactl", "parec"))

import pyatspi  # noqa: E402

import sound_server  # noqa: E402
from annolab_ui import DEMO, App, Tap, key, log_lines, make_queue, type_text, wait_until  # noqa: E402

tap = Tap()
tmp = os.path.join(os.environ[orca_session.MARK], "sound")
os.makedirs(tmp)
tasks = [{"id": f"s{i}", "kind": "transcribe", "language": "en",
          "instructions": {"nl": "Typ wat je hoort.", "en": "Type what you hear."},
          "audio": os.path.join(DEMO, "audio", name)}
         for i, name in enumerate(["austen-0870.wav", "cards-002.wav", "austen-0930.wav"])]
lengths = {}
for t in tasks:
    with wave.open(t["audio"]) as w:
        lengths[t["id"]] = w.getnframes() / w.getframerate()
db = make_queue(tasks, tmp)
events = os.path.join(tmp, "events.log")
said = os.path.join(tmp, "speech.log")
presses, cuts, hushes, streams = [], [], [], []
# Whatever fails, PulseAudio and parec are stopped in the finally block.
pulse = rec = app = None


def played(n):
    """The recordings of n tasks were played to their end."""
    return len([e for e in log_lines(events) if e[1] == "playback-stop" and
                float(e[3]) >= lengths[e[2]] - 0.05]) >= n


def task_loud_ms(a, b):
    track = sound_server.Track(rec, "right")
    return sum(1 for k in range(track.k(a), min(track.k(b), len(track.env)))
               if track.loud(k)) * track.w * 1000 / sound_server.RATE


try:
    pulse = sound_server.PulseAudio(tmp)
    rec = sound_server.Recorder()
    launched = time.monotonic()
    app = App("--local", db, "--no-demo", "--voice", "--audio-sink", "auto", "--speech-output",
              "espeak", "--event-log", events, "--speech-log", said, lang="nl")
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the first task opens in voice mode")
    # While the recording plays, both streams are on the sound server.
    wait_until(lambda: any(e[1] == "playback-start" for e in log_lines(events)), 15)
    streams = pulse.sink_inputs()
    tap.ok(any(s["sink"] == "speech" and s["role"] == "a11y" for s in streams),
           f"speech plays to PulseAudio as a speech stream: {streams}")
    tap.ok(any(s["sink"] == "task" and s["role"] != "a11y" for s in streams),
           "the task recording plays to PulseAudio as another stream")

    # Faster in the middle of the recording: the new speed is said (the
    # recording waits for it), then the recording goes on, faster.
    time.sleep(1.0)
    key("ctrl+Up", 0)
    wait_until(lambda: not sound_server.quiet_for(rec, 20), 3, 0.01)
    sound_server.wait_quiet(rec, 200)
    resumed = time.monotonic()
    time.sleep(2.0)
    going_on = task_loud_ms(resumed, resumed + 2.0)
    # Still controllable: Ctrl+Space pauses it and plays it again.
    key("ctrl+space", 0)
    paused = time.monotonic()
    time.sleep(1.2)
    key("ctrl+space", 0)
    again = time.monotonic()
    time.sleep(1.5)
    stops = [e for e in log_lines(events) if e[1] in ("playback-start", "playback-stop")]
    print(f"# after the speed change: {going_on:.0f} ms of the recording heard in 2 s; "
          f"paused: {task_loud_ms(paused + 0.3, again):.0f} ms; played again: "
          f"{task_loud_ms(again, again + 1.5):.0f} ms in 1.5 s; playback events {stops}")
    tap.ok(going_on > 1000, f"after a speed change in the middle of the recording, it goes on "
                            f"({going_on:.0f} ms of it heard in the next 2 s)")
    # A key reaches a busy window late: a few ms of sound may still come.
    tap.ok(task_loud_ms(paused + 0.3, again) <= 20 and task_loud_ms(again, again + 1.5) > 500,
           "after the speed change, Ctrl+Space still pauses the recording and plays it again")
    # The speed: what the player went through while it was heard, per second.
    run = [(int(a[0]), float(a[3]), int(b[0]), float(b[3])) for a, b in zip(stops, stops[1:])
           if a[1] == "playback-start" and b[1] == "playback-stop" and int(b[0]) - int(a[0]) > 1500]
    rate = (run[-1][3] - run[-1][1]) / ((run[-1][2] - run[-1][0]) / 1000) if run else 0
    tap.ok(1.1 < rate < 1.4, f"it goes on at the new speed, 1.25 ({rate:.2f})")
    wait_until(lambda: played(1), 20)
    type_text("het is een waarheid die algemeen erkend wordt")
    time.sleep(1.0)

    # From silence: a key press and its answer ("Snelheid 1,25").
    for i in range(6):
        sound_server.wait_quiet(rec, 300)
        presses.append(time.monotonic())
        key("ctrl+Up" if i % 2 == 0 else "ctrl+Down", 0)
        time.sleep(1.2)
    # A long answer (the text read back), cut by a new key press.
    for i in range(3):
        sound_server.wait_quiet(rec, 300)
        key("ctrl+shift+r", 0)
        # The cut comes once the long answer is sounding.
        wait_until(lambda: not sound_server.quiet_for(rec, 20), 3, 0.01)
        time.sleep(0.5)
        cuts.append(time.monotonic())
        key("ctrl+Up" if i % 2 == 0 else "ctrl+Down", 0)
        time.sleep(2.0)
    # Ctrl alone stops speaking: the long answer stops, nothing follows.
    for i in range(2):
        sound_server.wait_quiet(rec, 300)
        key("ctrl+shift+r", 0)
        wait_until(lambda: not sound_server.quiet_for(rec, 20), 3, 0.01)
        time.sleep(0.4)
        hushes.append(time.monotonic())
        key("ctrl", 0)
        time.sleep(1.0)

    for n in (2, 3):
        key("ctrl+Return")
        wait_until(lambda: played(n), 25)
        type_text("ja")
        time.sleep(0.5)
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
first, lengths = [], []
for t in presses:
    s = speech.first_sound(t, t + 1.0)
    if s is not None:
        first.append((s - t) * 1000)
        end = speech.silence_from(s, 80)
        if end:
            lengths.append(end - s)
print(f"# key press to first speech sample (ms): {[round(v, 1) for v in first]}")
tap.ok(len(first) == len(presses), f"every key press is heard ({len(first)} of {len(presses)})")
tap.ok(bool(first) and statistics.median(first) < 150 and max(first) < 500,
       f"within 150 ms (median) and 500 ms (most) at the monitor: "
       f"median {statistics.median(first) if first else None}")

short = max(lengths) if lengths else 1.5
late = []
for t in cuts:
    sounding = speech.first_sound(t - 0.2, t) is not None
    end = speech.silence_from(t, 80)
    # Cut: what follows is only the short answer, not the rest of the text.
    late.append(None if end is None or not sounding else (end - t) - short)
print(f"# short answer lasts {short * 1000:.0f} ms; after a cut, speech ends that long plus "
      f"(ms): {[None if v is None else round(v * 1000) for v in late]}")
tap.ok(all(v is not None and v < 0.4 for v in late),
       "a new key press cuts the long answer: only the new, short one follows")

stopped = []
for t in hushes:
    sounding = speech.first_sound(t - 0.2, t) is not None
    end = speech.silence_from(t, 300)
    stopped.append(None if end is None or not sounding else (end - t) * 1000)
print(f"# Ctrl alone, speech silent after (ms): {[None if v is None else round(v) for v in stopped]}")
tap.ok(bool(stopped) and all(v is not None and v < 150 for v in stopped),
       "Ctrl alone stops what is being said, and nothing follows it")

both = sound_server.overlap_ms(speech, task)
print(f"# speech {sound_server.loud_ms(speech):.0f} ms, task recording {sound_server.loud_ms(task):.0f} ms, "
      f"both at once {both:.0f} ms")
if both:
    # Where: each stretch beside the app's events (ms since its start) and the time of each
    # key press, to tell a resume from a hold.
    for t, ms in sound_server.overlap_runs(speech, task):
        at = (t - launched) * 1000
        print(f"# both at once for {ms:.0f} ms from about {at:.0f} ms")
        print(f"#   near it: {[e for e in log_lines(events) + log_lines(said) if abs(int(e[0]) - at) < 3000]}")
tap.ok(sound_server.loud_ms(task) > 1000, "the task recordings were heard")
tap.ok(both <= 40, f"speech and the task recording do not sound at the same time ({both:.0f} ms)")
tap.done()
