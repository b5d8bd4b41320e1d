#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Voice mode as a blind worker meets it, from the keyboard alone, read from
the speech log: each text in its own language (an English recording's typed
words and read-back in English in a Dutch session), the day's plan first,
the task number before the recording's description, F1 as a list walked one
key per arrow press, words for a key that does nothing and for closing the
list, goodbye on Ctrl+Q (and the session's end on the lab server). At the
experienced verbosity tones stand for saved, next task and error. The work
record carries the participant's name and dates in words, in the Documents
folder."""
import json
import os
import re
import socket
import sqlite3
import subprocess
import tempfile
import urllib.request

import pyatspi

from annolab_ui import DEMO, QUEUE, App, Tap, key, log_lines, make_queue, queue, \
    skip_unless_desktop, type_text, wait_until

skip_unless_desktop()
tap = Tap()
audio = os.path.join(DEMO, "audio")


def said(path):
    """The speech log as (ms, priority, language, text) rows."""
    return [tuple(r) for r in log_lines(path) if len(r) == 4]


def first(rows, part, after=-1):
    for i, row in enumerate(rows):
        if i > after and part in row[3]:
            return i
    return None


def cards(n, language="en", instructions="Type the cards you hear."):
    return [{"id": f"c{i}", "kind": "transcribe", "language": language,
             "audio": os.path.join(audio, f"cards-00{i + 1}.wav"), "instructions": instructions}
            for i in range(n)]


# ---- A Dutch session with English recordings ----
tmp = tempfile.mkdtemp(prefix="annolab-voice-mode-")
practice = cards(2)
practice[0].update(training=True, gold={"text": "three of clubs"})
db = make_queue(practice, tmp)
log = os.path.join(tmp, "speech.log")
docs = os.path.join(tmp, "Mijn documenten")
config = os.path.join(tmp, "config")
os.makedirs(config)
with open(os.path.join(config, "user-dirs.dirs"), "w") as f:
    f.write(f'XDG_DOCUMENTS_DIR="{docs}"\n')
os.makedirs(os.path.join(config, "annolab"))
with open(os.path.join(config, "annolab", "settings.ini"), "w") as f:
    f.write("[workstation]\nname=Sam de Vries\n")
app = App("--local", db, "--no-demo", "--voice", "--speech-log", log, lang="nl",
          env={"XDG_CONFIG_HOME": config})
home = app.tmp
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the task has the keyboard")
    task = wait_until(lambda: first(said(log), "Taak 1 vandaag."), 15)
    desc = wait_until(lambda: first(said(log), "Opname"), 10)
    rows = said(log)
    plan = first(rows, "blokken van 45 minuten")
    tap.ok(plan is not None and task is not None and plan < task and
           re.search(r"eerste pauze is om \d\d:\d\d", rows[plan][3]) is not None,
           f"the day's plan comes first, with the time of the first break: "
           f"{rows[plan][3] if plan is not None else rows}")
    tap.ok(task is not None and desc is not None and task < desc,
           f"the task number and instructions come before the recording's description: "
           f"{[r[3] for r in rows]}")
    tap.ok(desc is not None and rows[desc][2] == "nl" and "Engels" in rows[desc][3],
           f"the description is Dutch, as the session: {rows[desc] if desc is not None else None}")
    wait_until(lambda: False, 2.5)

    n = len(said(log))
    type_text("eight of ")
    wait_until(lambda: first(said(log), "of", n - 1), 5)
    words = [r for r in said(log)[n:] if r[3] in ("eight", "of")]
    tap.ok(len(words) == 2 and all(r[2] == "en" for r in words),
           f"the English words typed are said in English: {words}")
    n = len(said(log))
    key("ctrl+shift+r")
    back = wait_until(lambda: first(said(log), "eight of", n - 1), 5)
    tap.ok(back is not None and said(log)[back][2] == "en",
           f"and so is the read-back: {said(log)[back] if back is not None else said(log)[n:]}")

    n = len(said(log))
    key("F5")
    nothing = wait_until(lambda: first(said(log), "doet hier niets", n - 1), 5)
    tap.ok(nothing is not None and said(log)[nothing][3].startswith("F5"),
           f"a key that does nothing says so: {said(log)[n:]}")

    n = len(said(log))
    key("F1")
    intro = wait_until(lambda: first(said(log), "Toetsen:", n - 1), 5)
    tap.ok(intro is not None and "pijltjestoetsen" in said(log)[intro][3],
           f"F1 opens the key list and says how to walk it: {said(log)[n:]}")
    items = []
    for k in ("Down", "Down", "Down", "Up"):
        m = len(said(log))
        key(k)
        wait_until(lambda: len(said(log)) > m, 5)
        wait_until(lambda: False, 0.4)
        items.append([r[3] for r in said(log)[m:]])
    tap.ok(all(len(i) == 1 for i in items), f"each arrow press says one item: {items}")
    flat = [i[0] if i else "" for i in items]
    tap.ok(len(set(flat[:3])) == 3 and flat[3] == flat[1] and all(": " in t for t in flat),
           f"one key with what it does per item, Up goes back: {flat}")
    tap.ok(all(len(t) < 80 for t in flat), "each item is short, not the whole list at once")
    tap.ok(not any(r[3].count(":") > 3 for r in said(log)[n:]),
           "the keys are never read out as one run-on utterance")
    n = len(said(log))
    key("x")
    other = wait_until(lambda: first(said(log), "In de toetsenlijst", n - 1), 5)
    tap.ok(other is not None, f"another key in the list says which keys work there: {said(log)[n:]}")
    n = len(said(log))
    key("ctrl+i")
    where = wait_until(lambda: first(said(log), "Je bent in Toetsen", n - 1), 5)
    tap.ok(where is not None, f"Ctrl+I in the key list says where you are: {said(log)[n:]}")
    n = len(said(log))
    key("Escape")
    closed = wait_until(lambda: first(said(log), "Toetsen gesloten. Terug naar taak 1.", n - 1), 5)
    tap.ok(closed is not None, f"closing the list is said: {said(log)[n:]}")

    # The work record: XDG's Documents folder, the person's name, dates in words.
    n = len(said(log))
    key("ctrl+Return")
    wait_until(lambda: first(said(log), "Taak 2 vandaag.", n - 1), 20)
    wait_until(lambda: first(said(log), "Opname", first(said(log), "Taak 2 vandaag.", n - 1)), 10)
    n = len(said(log))
    key("F3")
    ref = wait_until(lambda: first(said(log), "three of clubs", n - 1), 10)
    rows = said(log)[n:]
    tap.ok(ref is not None and said(log)[ref][2] == "en" and
           any(r[3] == "Het goede antwoord is:" and r[2] == "nl" for r in rows),
           f"F3: the lead-in in Dutch, the reference transcript in English: {rows}")
    n = len(said(log))
    key("ctrl+e")
    saved = wait_until(lambda: first(said(log), "werkoverzicht is bewaard in de map", n - 1), 10)
    files = sorted(os.listdir(docs)) if os.path.isdir(docs) else []
    tap.ok(len(files) == 2 and files[0].endswith(".html") and files[1].endswith(".json"),
           f"the work record is in the XDG Documents folder: {files} {os.listdir(home)}")
    tap.ok(saved is not None and "Mijn documenten" in said(log)[saved][3] and
           "/" not in said(log)[saved][3], f"and it says where, as a person finds it: "
           f"{said(log)[saved] if saved is not None else said(log)[n:]}")
    html = open(os.path.join(docs, files[0])).read() if files else ""
    record = json.load(open(os.path.join(docs, files[1]))) if files else {}
    tap.ok(record.get("participant") == "Sam de Vries" and
           "<h1>Werkoverzicht: Sam de Vries</h1>" in html,
           f"with the participant's name, not the computer's login: {record.get('participant')!r}")
    months = "januari februari maart april mei juni juli augustus september oktober november december"
    tap.ok(re.search(r"<td>\d{1,2} (%s) \d{4}" % months.replace(" ", "|"), html) is not None and
           "-W" not in html, "dates and weeks in words")
    raw = open(os.path.join(docs, files[1])).read() if files else ""
    tap.ok(re.search(r"\d\.\d{6,}", raw) is None, "figures rounded in the JSON")

    n = len(said(log))
    key("ctrl+q")
    app.proc.wait(10)
    rows = said(log)[n:]
    tap.ok(any(r[3] == "Je werk is bewaard. Tot ziens." and r[1] == "important" for r in rows),
           f"Ctrl+Q says goodbye: {rows}")
    tap.ok(app.proc.returncode == 0, "and annolab ends after saying it")
finally:
    app.close()

# ---- Experienced verbosity, from the settings file ----
tmp = tempfile.mkdtemp(prefix="annolab-voice-brief-")
db = make_queue(cards(3), tmp)
config = os.path.join(tmp, "config")
os.makedirs(os.path.join(config, "annolab"))
with open(os.path.join(config, "annolab", "settings.ini"), "w") as f:
    f.write("[workstation]\nvoice=true\nverbosity=experienced\n")
log = os.path.join(tmp, "speech.log")
app = App("--local", db, "--no-demo", "--speech-log", log, env={"XDG_CONFIG_HOME": config})
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "experienced: the task has the keyboard")
    one = wait_until(lambda: first(said(log), "Task 1."), 10)
    rows = said(log)
    tone = [i for i, r in enumerate(rows) if r[2] == "earcon" and r[3] == "next-task"]
    tap.ok(one is not None and tone and tone[0] < one and "Type the cards you hear." in rows[one][3],
           f"a tone, the task number and the instructions: {rows}")
    tap.ok(first(rows, "today") is None and first(rows, "Recording") is None,
           "no full sentence and no description of the recording")
    wait_until(lambda: False, 2.0)
    n = len(said(log))
    key("ctrl+Return")
    err = wait_until(lambda: [r for r in said(log)[n:] if r[2] == "earcon" and r[3] == "error"], 5)
    tap.ok(err, f"an empty answer gives the error tone: {said(log)[n:]}")
    type_text("ten of hearts ")
    n = len(said(log))
    key("ctrl+Return")
    two = wait_until(lambda: first(said(log), "Task 2", n - 1), 10)
    rows = said(log)[n:]
    kinds = [r[3] for r in rows if r[2] == "earcon"]
    tap.ok(kinds[:2] == ["saved", "next-task"], f"then saved and next task as tones: {rows}")
    tap.ok(not any(r[3].startswith("Saved") for r in rows), "instead of the sentence 'Saved.'")
    tap.ok(two is not None and said(log)[two][3] == "Task 2.",
           f"the same instructions are not said again: {said(log)[two] if two is not None else rows}")
finally:
    app.close()

# ---- On a lab server: goodbye, and the coach sets the verbosity ----
tmp = tempfile.mkdtemp(prefix="annolab-voice-server-")
lab = os.path.join(tmp, "lab.db")
path = os.path.join(tmp, "tasks.jsonl")
with open(path, "w") as f:
    for t in cards(3):
        f.write(json.dumps(t) + "\n")
queue(lab, "import", path, "--media-root", DEMO)
queue(lab, "set", "gold_share", "0")
token = queue(lab, "user", "add", "Sam", "--role", "participant").stdout.strip()
coach = queue(lab, "user", "add", "Kim", "--role", "coach").stdout.strip()
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
server = subprocess.Popen([QUEUE, "--db", lab, "serve", "--listen", f"127.0.0.1:{port}"],
                          stdout=subprocess.PIPE, text=True)
server.stdout.readline()
url = f"http://127.0.0.1:{port}"
log = os.path.join(tmp, "speech.log")
try:
    app = App("--queue", url, "--token", token, "--voice", "--speech-log", log)
    try:
        tap.ok(wait_until(lambda: first(said(log), "Task 1 today."), 15) is not None,
               "server: the first task, in full sentences")
        sam = sqlite3.connect(lab).execute("SELECT id FROM users WHERE name = 'Sam'").fetchone()[0]
        put = urllib.request.Request(f"{url}/api/v1/participants/{sam}/settings",
                                     data=b'{"verbosity":"experienced"}', method="PUT",
                                     headers={"Authorization": f"Bearer {coach}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(put, timeout=5) as reply:
            status = reply.status
        tap.ok(status == 200, f"the coach sets experienced verbosity: {status}")
        wait_until(lambda: False, 2.5)
        # The notice comes with the reply to the next event the workstation sends.
        key("ctrl+p")
        wait_until(lambda: False, 3)
        key("ctrl+p")
        wait_until(lambda: first(said(log), "Back to work."), 5)
        type_text("two of spades ")
        n = len(said(log))
        key("ctrl+Return")
        wait_until(lambda: first(said(log), "Task 2", n - 1), 10)
        tones = [r[3] for r in said(log)[n:] if r[2] == "earcon"]
        tap.ok(tones[:2] == ["saved", "next-task"], f"and the workstation follows: {said(log)[n:]}")
        ini = os.path.join(app.tmp, "config", "annolab", "settings.ini")
        tap.ok(os.path.exists(ini) and "verbosity=experienced" in open(ini).read(),
               "kept in the settings for next time")
        n = len(said(log))
        key("ctrl+q")
        app.proc.wait(10)
        tap.ok(any(r[3] == "Saved. Goodbye." for r in said(log)[n:]),
               f"Ctrl+Q says goodbye, briefly: {said(log)[n:]}")
        ends = sqlite3.connect(lab).execute(
            "SELECT count(*) FROM events WHERE type = 'session_end'").fetchone()[0]
        tap.ok(ends == 1, f"and the server has the session's end: {ends}")
    finally:
        app.close()
finally:
    server.terminate()
    server.wait()
tap.done()
