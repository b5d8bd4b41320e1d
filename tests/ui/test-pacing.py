#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A short working day, 6 s work and 4 s break, twice: the warning, the
break screen with the task locked away, the draft unchanged after the
break, and the end-of-session summary, at the right moments."""
import os
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, text_of, type_text, \
    wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-pacing-")
db = make_queue([{"id": f"s{i}", "kind": "transcribe", "language": "en",
                  "audio": os.path.join(DEMO, "audio", "cards-001.wav")} for i in range(3)], tmp)

app = App("--local", db, "--no-demo", "--plan", "6s/4sx2", "--warn", "2s", "--grace", "0")
t0 = time.time()
seen = {}


def when(text, timeout):
    node = wait_until(lambda: app.find(contains=text, timeout=0.05), timeout, 0.05)
    seen[text] = time.time() - t0 if node else None
    return seen[text]


try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    type_text("ten of")
    wait_until(lambda: text_of(view) == "ten of", 3)
    w = when("The break starts in 2 seconds", 8)
    tap.ok(w is not None and 3.0 <= w <= 5.5, f"the warning comes at about 4 s ({w})")
    b = when("Break for 4 seconds", 8)
    tap.ok(b is not None and 5.0 <= b <= 7.5, f"the break starts at about 6 s ({b})")
    tap.ok(app.find(name="Break", role=pyatspi.ROLE_PANEL, timeout=1) is not None
           or app.find(contains="Break ·", timeout=1) is not None, "the break screen is shown")
    type_text("xyz")   # typing during the break changes nothing
    key("ctrl+Return")
    r = when("The break is over. You can go on with task 1", 8)
    tap.ok(r is not None and 9.0 <= r <= 11.5, f"work resumes at about 10 s ({r})")
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None and text_of(view) == "ten of",
           f"the draft is unchanged after the break: {text_of(view) if view else None!r}")
    type_text(" clubs")
    key("ctrl+Return")
    e = when("The session is over", 10)
    tap.ok(e is not None and 15.0 <= e <= 17.5, f"the session ends at about 16 s ({e})")
    tap.ok(app.find(contains="did 1 task", timeout=2) is not None,
           "the summary says how much was done")
finally:
    app.close()
tap.done()
