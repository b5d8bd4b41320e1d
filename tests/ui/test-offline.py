#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workstation against a real lab server that goes away: work goes on
with the task already in hand, the answers wait in the outbox, the screen
says the server is unreachable, and when the server is back every answer
arrives exactly once."""
import os
import signal
import socket
import subprocess
import tempfile
import time

import pyatspi

from annolab_ui import DEMO, QUEUE, App, Tap, export, key, queue, skip_unless_desktop, text_of, \
    type_text, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-offline-")
db = os.path.join(tmp, "lab.db")
tasks = os.path.join(tmp, "tasks.jsonl")
with open(tasks, "w") as f:
    for i, name in enumerate(["cards-001", "cards-002", "cards-003", "cards-004"]):
        f.write('{"id":"s%d","kind":"transcribe","language":"en","audio":"%s"}\n'
                % (i, os.path.join(DEMO, "audio", name + ".wav")))
queue(db, "import", tasks, "--media-root", DEMO)
queue(db, "set", "gold_share", "0")
token = queue(db, "user", "add", "Sam", "--role", "participant").stdout.strip()

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()


def serve():
    p = subprocess.Popen([QUEUE, "--db", db, "serve", "--listen", f"127.0.0.1:{port}"],
                         stdout=subprocess.PIPE, text=True)
    p.stdout.readline()
    return p


server = serve()
app = App("--queue", f"http://127.0.0.1:{port}", "--token", token)
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None, "the first task from the server opens")
    type_text("ten of clubs")
    key("ctrl+Return")
    tap.ok(wait_until(lambda: app.find(contains="Task 2 today", timeout=0.2), 10) is not None,
           "the second task follows")

    server.send_signal(signal.SIGKILL)
    server.wait()
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    type_text("four queen of clubs")
    key("ctrl+Return")
    tap.ok(wait_until(lambda: app.find(contains="Task 3 today", timeout=0.2), 10) is not None,
           "with the server gone, work goes on with the task already fetched")
    kept = app.find(contains="Kept on this computer", timeout=5)
    tap.ok(kept is not None and app.find(contains="Saved.", timeout=0.2) is None,
           f"the answer is said to be kept on this computer, not saved: {kept.name if kept else None!r}")
    offline = wait_until(lambda: app.find(contains="No connection to the lab server", timeout=0.2), 25)
    tap.ok(offline is not None, "the window says that the lab server cannot be reached")
    tap.ok(len(export(db)) == 1, "only the first answer reached the server so far")

    server = serve()
    back = wait_until(lambda: app.find(contains="can be reached again", timeout=0.2), 30)
    tap.ok(back is not None, "the window says when the server is back")
    tap.ok(wait_until(lambda: len(export(db)) == 2, 30), "the waiting answer is delivered")
finally:
    app.close()
    server.send_signal(signal.SIGTERM)
    server.wait()

results = [(r["task_id"], r["result"]["text"]) for r in export(db)]
tap.ok(sorted(results) == [("s0", "ten of clubs"), ("s1", "four queen of clubs")],
       f"each answer is stored exactly once: {results}")
tap.done()
