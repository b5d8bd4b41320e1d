#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Workstation figures: cold start to first task shown, submit to next task
shown, and resident memory after N tasks, driven over AT-SPI like the UI
tests. Run under Xvfb and D-Bus (bench/run does that)."""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "ui"))
import pyatspi  # noqa: E402
from annolab_ui import DEMO, App, key, make_queue, type_text, wait_until  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
tmp = tempfile.mkdtemp(prefix="annolab-bench-")
audio = sorted(f for f in os.listdir(os.path.join(DEMO, "audio")))
tasks = [{"id": f"t{i}", "kind": "transcribe", "language": "en",
          "audio": os.path.join(DEMO, "audio", audio[i % len(audio)])} for i in range(N + 1)]
db = make_queue(tasks, tmp)


def timings(app):
    return [line.split("\t") for line in app.stderr().splitlines()
            if line.startswith("annolab-timing")]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


app = App("--local", db, "--no-demo", env={"ANNOLAB_TIMING": "1"})
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    wait_until(lambda: timings(app), 10)
    rss_first = rss_kib(app.proc.pid)
    for i in range(N):
        type_text(f"task {i}")
        key("ctrl+Return")
        wait_until(lambda: len([t for t in timings(app) if t[1] == "submit-to-next"]) > i, 10, 0.01)
    time.sleep(0.5)
    rss_last = rss_kib(app.proc.pid)
    t = timings(app)
finally:
    app.close()

first = [float(x[2]) for x in t if x[1] == "first-task"]
nexts = [float(x[2]) for x in t if x[1] == "submit-to-next"]
nexts.sort()
def row(name, value, unit, ref_name="", ref_value=""):
    print(f"{name}\t{value:.3f}\t{unit}\t{ref_name}\t{ref_value}")


row("workstation: cold start to first task shown", first[0], "ms")
row(f"workstation: submit to next task shown, median of {len(nexts)}", statistics.median(nexts), "ms")
row("workstation: submit to next task shown, p95", nexts[int(0.95 * (len(nexts) - 1))], "ms")
row(f"workstation: resident memory after {N} tasks", rss_last / 1024, "MiB",
    "at first task", f"{rss_first / 1024:.3f}")
