#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The workstation against a real lab server, about what happens to each
answer: a task handed in is never shown again (also the last one, with its
feedback); an answer the server refuses is told in words and aloud, never
called saved, and not sent again and again; Ctrl+Q tells the server the
participant went home."""
import json
import os
import socket
import sqlite3
import subprocess
import tempfile
import time

import pyatspi

from lab_proxy import LabProxy
from annolab_ui import DEMO, QUEUE, App, Tap, export, key, log_lines, queue, skip_unless_desktop, \
    type_text, wait_until

skip_unless_desktop()
tap = Tap()
audio = os.path.join(DEMO, "audio")


def lab(tmp, tasks):
    db = os.path.join(tmp, "lab.db")
    path = os.path.join(tmp, "tasks.jsonl")
    with open(path, "w") as f:
        for t in tasks:
            f.write(json.dumps(t) + "\n")
    queue(db, "import", path)
    queue(db, "set", "gold_share", "0")
    token = queue(db, "user", "add", "Sam", "--role", "participant").stdout.strip()
    return db, token


def serve(db):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    p = subprocess.Popen([QUEUE, "--db", db, "serve", "--listen", f"127.0.0.1:{port}"],
                         stdout=subprocess.PIPE, text=True)
    p.stdout.readline()
    return p, f"http://127.0.0.1:{port}"


def stop(server):
    server.terminate()
    server.wait()


def sql(db, query, *args):
    con = sqlite3.connect(db, timeout=10)
    try:
        rows = con.execute(query, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def said(path):
    return [row[3] for row in log_lines(path) if len(row) >= 4]


def shown(path, task_id):
    return [row for row in log_lines(path) if len(row) >= 3 and row[1] == "task-shown"
            and row[2] == task_id]


def card(i, name, **extra):
    t = {"id": i, "kind": "transcribe", "language": "en",
         "audio": os.path.join(audio, name + ".wav")}
    t.update(extra)
    return t


# 1. The last task, a practice task with feedback. The relay holds the
# answers back a little, as a busy network does: the window must not lease
# the task again while its answer is on its way.
tmp = tempfile.mkdtemp(prefix="annolab-server-last-")
db, token = lab(tmp, [
    card("p0", "cards-001", training=True, gold={"text": "ten of clubs"},
         explanation={"en": "One card: a number and a suit.", "nl": "Eén kaart: een getal en een kleur."}),
    card("p1", "cards-005", training=True, gold={"text": "eight of spades four of clubs seven of hearts"},
         explanation={"en": "Each card is a number and a suit.", "nl": "Elke kaart is een getal en een kleur."}),
])
server, url = serve(db)
proxy = LabProxy(url)
proxy.delays[("POST", "/api/v1/results")] = 0.5
events = os.path.join(tmp, "events.log")
app = App("--queue", proxy.url, "--token", token, "--event-log", events)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the first practice task opens")
    type_text("ten of clubs")
    key("ctrl+Return")
    tap.ok(wait_until(lambda: app.find(contains="Task 2 today", timeout=0.2), 10) is not None,
           "the second (last) practice task follows")
    wait_until(lambda: shown(events, "p1"), 5)
    type_text("eight of spades four of clubs")
    key("ctrl+Return")
    done = wait_until(lambda: app.find(contains="There are no tasks left", timeout=0.2), 10)
    tap.ok(done is not None, "after the last task the window says there are no tasks left")
    note = app.find(contains="Each card is a number and a suit.", timeout=5)
    tap.ok(note is not None and "Saved." in (note.name or ""),
           f"the feedback of the last task is shown, once the server has the answer: "
           f"{note.name if note else None!r}")
    time.sleep(1.5)
    ids = [row[2] for row in log_lines(events) if len(row) >= 3 and row[1] == "task-shown"]
    tap.ok(ids == ["p0", "p1"], f"each task is shown once, the last one too: {ids}")
    tap.ok(proxy.count("POST", "/api/v1/results", b'"p1"') == 1, "its answer is sent once")
finally:
    app.close()
    proxy.close()
    stop(server)
results = [r["task_id"] for r in export(db)]
tap.ok(sorted(results) == ["p0", "p1"], f"each answer is stored once: {results}")

# 2. The server refuses an answer (here: the task was closed on the server
# while the participant worked on it, so it answers 409).
tmp = tempfile.mkdtemp(prefix="annolab-server-refused-")
db, token = lab(tmp, [card("a0", "cards-001"), card("a1", "cards-002"), card("a2", "cards-003")])
server, url = serve(db)
proxy = LabProxy(url)
events = os.path.join(tmp, "events.log")
speech = os.path.join(tmp, "speech.log")
app = App("--queue", proxy.url, "--token", token, "--event-log", events, "--voice",
          "--speech-log", speech)
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None and wait_until(lambda: shown(events, "a0"), 5),
           "the first task opens")
    sql(db, "UPDATE leases SET state = 'done' WHERE task_seq = (SELECT seq FROM tasks WHERE id = 'a0')")
    n = len(said(speech))
    type_text("ten of clubs")
    key("ctrl+Return")
    refused = wait_until(lambda: app.find(contains="did not accept", timeout=0.2), 10)
    text = refused.name if refused else ""
    tap.ok(refused is not None and "coach" in text, f"the window says in words that the server "
           f"refused the answer: {text!r}")
    spoken = wait_until(lambda: [t for t in said(speech)[n:] if "did not accept" in t], 10)
    tap.ok(bool(spoken), f"and says it aloud: {spoken}")
    tap.ok(not [t for t in said(speech)[n:] if t.startswith("Saved")],
           f"the refused answer is not called saved: {said(speech)[n:]}")
    tap.ok(wait_until(lambda: shown(events, "a1"), 10), "the next task follows")
    time.sleep(4)
    tap.ok(proxy.count("POST", "/api/v1/results", b'"a0"') == 1,
           f"the refused answer is sent once, not again and again: "
           f"{proxy.count('POST', '/api/v1/results', b'a0')}")
    box = os.path.join(app.tmp, "data", "annolab", "workstation.db")
    rows = sql(box, "SELECT attempts, error, body FROM outbox WHERE kind = 'result'")
    tap.ok(len(rows) == 1 and rows[0][1] and "409" in rows[0][1] and "ten of clubs" in rows[0][2],
           f"the workstation keeps the refused answer, marked with the server's reason: {rows}")
    # A refusal that comes late: the network holds the answer longer than
    # the window waits, so it is kept first, and refused after.
    sql(db, "UPDATE leases SET state = 'done' WHERE task_seq = (SELECT seq FROM tasks WHERE id = 'a1')")
    proxy.delays[("POST", "/api/v1/results")] = 5
    n = len(said(speech))
    type_text("four queen of clubs")
    key("ctrl+Return")
    kept = wait_until(lambda: app.find(contains="Kept on this computer", timeout=0.1), 10)
    tap.ok(kept is not None, f"an answer the server has not answered yet is said to be kept: "
           f"{kept.name if kept else None!r}")
    late = wait_until(lambda: [t for t in said(speech)[n:] if "did not accept one of your earlier" in t], 15)
    tap.ok(bool(late) and app.find(contains="did not accept one of your earlier", timeout=2) is not None,
           f"its refusal, when it comes, is shown and said: {late}")
    tap.ok(shown(events, "a2") and not [t for t in said(speech)[n:] if t.startswith("Saved")],
           "meanwhile the next task is there, and nothing was called saved")
    proxy.delays.clear()
    n = len(said(speech))
    type_text("seven")
    key("ctrl+Return")
    saved = wait_until(lambda: app.find(contains="Saved.", timeout=0.1), 10)
    tap.ok(saved is not None, "an answer the server takes is confirmed as saved")
    tap.ok(wait_until(lambda: app.find(contains="There are no tasks left", timeout=0.2), 10)
           is not None, "then there is nothing left: the refused tasks do not come back")
    ids = [row[2] for row in log_lines(events) if len(row) >= 3 and row[1] == "task-shown"]
    tap.ok(ids == ["a0", "a1", "a2"], f"each task is shown once: {ids}")
    body = app.find(contains="did not accept 2 answers", timeout=5)
    tap.ok(body is not None and app.find(contains="Your work has been saved", timeout=0.2) is None,
           f"the last screen says two answers were not accepted, not that all was saved: "
           f"{body.name if body else None!r}")
finally:
    app.close()
    proxy.close()
    stop(server)
results = [r["task_id"] for r in export(db)]
tap.ok(results == ["a2"], f"the server holds only the answer it took: {results}")

# 3. Ctrl+Q tells the server the participant went home, before the window
# goes; with the server away, the app still quits soon and sends it later.
tmp = tempfile.mkdtemp(prefix="annolab-server-quit-")
db, token = lab(tmp, [card("q0", "cards-001"), card("q1", "cards-002")])
server, url = serve(db)
data_home = os.path.join(tmp, "data")
app = App("--queue", url, "--token", token, env={"XDG_DATA_HOME": data_home})
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the task opens")
finally:
    t0 = time.time()
    status = app.close()
    took = time.time() - t0
ends = sql(db, "SELECT count(*) FROM events WHERE type = 'session_end'")[0][0]
tap.ok(status == 0 and ends == 1, f"Ctrl+Q quits and the server stores session_end: {ends}")

app = App("--queue", url, "--token", token, env={"XDG_DATA_HOME": data_home})
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the next day the task opens again")
    stop(server)
finally:
    t0 = time.time()
    status = app.close()
    took = time.time() - t0
tap.ok(status == 0 and took < 4, f"with the server away Ctrl+Q still quits soon: {took:.1f} s")
box = os.path.join(data_home, "annolab", "workstation.db")
left = sql(box, "SELECT body FROM outbox WHERE kind = 'event' AND body LIKE '%session_end%'")
tap.ok(len(left) == 1, f"the session_end waits in the outbox: {left}")
server, url = serve(db)
app = App("--queue", url, "--token", token, env={"XDG_DATA_HOME": data_home})
try:
    tap.ok(wait_until(lambda: sql(db, "SELECT count(*) FROM events WHERE type = 'session_end'")[0][0] >= 2, 10),
           "and reaches the server at the next start")
finally:
    app.close()

# A server that takes the request and never answers holds the quit no
# longer than the short wait either.
proxy = LabProxy(url)
app = App("--queue", proxy.url, "--token", token, env={"XDG_DATA_HOME": data_home})
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the task opens through a slow network")
    proxy.delays[("POST", "/api/v1/events")] = 30
finally:
    t0 = time.time()
    status = app.close()
    took = time.time() - t0
tap.ok(status == 0 and took < 4, f"a server that does not answer does not hold the quit: {took:.1f} s")
left = sql(box, "SELECT body FROM outbox WHERE kind = 'event' AND body LIKE '%session_end%'")
tap.ok(len(left) == 1, f"that session_end waits in the outbox: {left}")
proxy.close()
stop(server)
tap.done()
