#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Box tasks: submit to the next photo shown, with the photos already on the
local disk and in the page cache (what prefetching gives a workstation), on
the demo photos and on 4000 × 3000 photos. Driven over AT-SPI like the UI
tests; run under Xvfb and D-Bus (bench/boxes.sh does that).
Usage: bench/boxes.py TASKS BIG_PHOTO"""
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "ui"))
from annolab_ui import DEMO, App, key, make_queue, wait_until  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 30
BIG = sys.argv[2]


def timings(app, kind):
    return [float(line.split("\t")[2]) for line in app.stderr().splitlines()
            if line.startswith("annolab-timing\t" + kind)]


def run(photos, name):
    tmp = tempfile.mkdtemp(prefix="annolab-bench-boxes-")
    for p in set(photos):
        with open(p, "rb") as f:  # into the page cache, as after a prefetch
            while f.read(1 << 20):
                pass
    db = make_queue([{"id": f"b{i}", "kind": "bbox", "image": photos[i % len(photos)],
                      "labels": ["a", "b", "c"]} for i in range(N + 1)], tmp)
    app = App("--local", db, "--no-demo", env={"ANNOLAB_TIMING": "1"})
    try:
        wait_until(lambda: timings(app, "first-task"), 20)
        for i in range(N):
            key("n", 0.01)
            key("1", 0.01)
            key("ctrl+Return", 0.01)
            wait_until(lambda: len(timings(app, "submit-to-next")) > i, 20, 0.005)
        nexts = sorted(timings(app, "submit-to-next"))
    finally:
        app.close()
    print(f"boxes: submit to next photo shown, {name}, median of {len(nexts)}\t"
          f"{statistics.median(nexts):.3f}\tms\t\t")
    print(f"boxes: submit to next photo shown, {name}, p95\t"
          f"{nexts[int(0.95 * (len(nexts) - 1))]:.3f}\tms\t\t")


images = os.path.join(DEMO, "images")
run([os.path.join(images, f) for f in sorted(os.listdir(images))], "demo photos")
run([BIG], "4000x3000 photo")
