#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Speech through a real sound server, measured in the recorded audio.

PulseAudio with a null sink (tests/ui/sound_server.py); annolab's speech
plays to it through pulsesink, and the sink's monitor is recorded while
bench/speech-monitor presses keys. From the recording, not from logs:
  key press to the first speech sample at the monitor (from silence),
  key press to silence of the utterance it cuts.
Prints tab-separated figures for bench/run (aim: 20 ms)."""
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "ui"))
import sound_server  # noqa: E402

build = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ANNOLAB_BUILD_ROOT", "build-release")
presses = int(sys.argv[2]) if len(sys.argv) > 2 else 100
if not sound_server.available():
    sys.exit("speech-pulse: pulseaudio, pactl and parec are needed (pulseaudio-utils)")

tmp = tempfile.mkdtemp(prefix="annolab-pulse-")
pulse = sound_server.PulseAudio(tmp)
rec = None
try:
    rec = sound_server.Recorder()
    out = subprocess.run([os.path.join(build, "bench", "speech-monitor"), str(presses)],
                         capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, GST_PLUGIN_FEATURE_RANK="pulsesink:MAX"))
    if out.returncode != 0:
        sys.exit(f"speech-monitor failed: {out.stderr}")
    rec.stop()
    marks = [(kind, int(t) / 1e6) for kind, t in (line.split("\t") for line in out.stdout.splitlines())]
finally:
    if rec and rec.proc.poll() is None:
        rec.stop()
    pulse.stop()

speech = sound_server.Track(rec, "left", window_ms=1)
first, silent, missed = [], [], 0
for i, (kind, t) in enumerate(marks):
    nxt = marks[i + 1][1] if i + 1 < len(marks) else t + 0.5
    if kind == "press":
        s = speech.first_sound(t, nxt)
        if s is None:
            missed += 1
        else:
            first.append((s - t) * 1000)
    else:
        # Only a cut of something that is sounding counts.
        sounding = speech.first_sound(t - 0.05, t) is not None
        s = speech.silence_from(t, hold_ms=60)
        if not sounding or s is None or s > nxt:
            missed += 1
        else:
            silent.append(max(0.0, (s - t) * 1000))


def p95(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * 0.95))]


if os.environ.get("SPEECH_PULSE_DEBUG"):
    print(f"recorded {len(rec.left) / sound_server.RATE:.1f} s, anchors {len(rec.anchors)}, "
          f"span {marks[-1][1] - marks[0][1]:.1f} s, loud {sound_server.loud_ms(speech):.0f} ms",
          file=sys.stderr)
print(f"presses {len(first)} answered, {len(silent)} cut, {missed} not found", file=sys.stderr)
# A press whose answer never sounded (dropped, or later than the next press)
# is not in the latency figures: it is counted here.
print(f"speech: presses heard at the PulseAudio monitor\t{len(first) + len(silent)}\tof\tpresses\t{len(marks)}")
for name, v in (("key press to first speech sample at the PulseAudio monitor", first),
                ("key press to silence of the old utterance at the PulseAudio monitor", silent)):
    if v:
        print(f"speech: {name}, median\t{statistics.median(v):.1f}\tms\taim\t20")
        print(f"speech: {name}, p95\t{p95(v):.1f}\tms\taim\t20")
        print(f"{name}: median {statistics.median(v):.1f} ms, p95 {p95(v):.1f} ms, "
              f"max {max(v):.1f} ms (n={len(v)})", file=sys.stderr)
