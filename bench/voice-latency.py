#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Voice mode: what a blind worker waits per task, from Ctrl+Enter to the
first sound of the next recording, at the beginner and at the experienced
verbosity. The real window under Xvfb in voice mode, driven over AT-SPI;
both moments come from the event log on one clock: "submit" when the key
arrives, "playback-heard" when the recording's first buffer reaches the
audio sink (a pad probe). Run under Xvfb and D-Bus (bench/voice.sh does).
Usage: bench/voice-latency.py [TASKS]"""
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "ui"))
from annolab_ui import DEMO, App, key, log_lines, make_queue, type_text, wait_until  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20
audio = os.path.join(DEMO, "audio")
recordings = sorted(f for f in os.listdir(audio) if f.startswith("cards-") and f.endswith(".wav"))


def events(path, kind):
    return [(int(r[0]), r[2]) for r in log_lines(path) if len(r) >= 3 and r[1] == kind]


def run(verbosity):
    tmp = tempfile.mkdtemp(prefix="annolab-bench-voice-")
    db = make_queue([{"id": f"v{i}", "kind": "transcribe", "language": "en",
                      "audio": os.path.join(audio, recordings[i % len(recordings)]),
                      "instructions": "Type the cards you hear."} for i in range(N + 1)], tmp)
    config = os.path.join(tmp, "config")
    os.makedirs(os.path.join(config, "annolab"))
    with open(os.path.join(config, "annolab", "settings.ini"), "w") as f:
        f.write(f"[workstation]\nvoice=true\nverbosity={verbosity}\n")
    log = os.path.join(tmp, "events.log")
    app = App("--local", db, "--no-demo", "--event-log", log, env={"XDG_CONFIG_HOME": config})
    waits = []
    try:
        wait_until(lambda: events(log, "playback-heard"), 30)
        for i in range(N):
            submits = len(events(log, "submit"))
            type_text("seven of hearts ", 0.05)
            key("ctrl+Return", 0.01)
            wait_until(lambda: len(events(log, "submit")) > submits, 10, 0.01)
            submit = events(log, "submit")[-1]

            def next_heard():
                return [t for t, task in events(log, "playback-heard")
                        if t >= submit[0] and task != submit[1]]
            after = wait_until(next_heard, 30, 0.01)
            if after:
                waits.append(after[0] - submit[0])
    finally:
        app.close()
    if len(waits) < N:
        sys.exit(f"voice-latency: {verbosity}: only {len(waits)} of {N} tasks were heard")
    waits.sort()
    print(f"voice: Ctrl+Enter to next recording heard, {verbosity}, median of {len(waits)}\t"
          f"{statistics.median(waits):.0f}\tms\t\t")
    print(f"voice: Ctrl+Enter to next recording heard, {verbosity}, p95\t"
          f"{waits[int(0.95 * (len(waits) - 1))]:.0f}\tms\t\t")


run("beginner")
run("experienced")
