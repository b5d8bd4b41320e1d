#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A full disk, a read-only disk and a damaged database, for real: the
database lives on a small tmpfs that the test fills and remounts read-only.
Each fault gets a message that names it, nothing stored is lost or changed,
and once the fault is gone the same work goes through exactly once."""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request

import pyatspi

from annolab_ui import DEMO, QUEUE, App, Tap, export, queue, skip_unless_desktop

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-faults-")
disk = os.path.join(tmp, "disk")
os.mkdir(disk)
db = os.path.join(disk, "lab.db")
audio = os.path.join(DEMO, "audio", "cards-001.wav")


def write_tasks(name, n, prefix):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"{prefix}{i}", "kind": "transcribe", "audio": audio,
                                "language": "en", "instructions": {"nl": "x" * 300, "en": "y" * 300}})
                    + "\n")
    return path


def fill(path):
    """Write zeros until the disk is full."""
    try:
        with open(path, "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:
        pass


def call(base, token, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def integrity(path):
    r = subprocess.run(["sqlite3", path, "PRAGMA integrity_check"], capture_output=True, text=True)
    return r.stdout.strip()


mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk],
                         capture_output=True).returncode == 0
server = None
try:
    if not mounted:
        print("# SKIP full and read-only disks need a tmpfs mount (run as root)")
    else:
        queue(db, "import", write_tasks("first.jsonl", 20, "a"), "--media-root", DEMO)
        queue(db, "set", "gold_share", "0")
        token = queue(db, "user", "add", "Sam", "--role", "participant").stdout.strip()
        server = subprocess.Popen([QUEUE, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        base = server.stdout.readline().strip().replace("listening on ", "")
        status, first = call(base, token, "/api/v1/lease", {})
        status, _ = call(base, token, "/api/v1/results",
                         {"lease_id": first["lease"]["id"], "idempotency_key": "k1",
                          "result": {"text": "ten of clubs"}, "lead_time_ms": 1000})
        tap.ok(status == 200, f"a result is stored while there is room ({status})")
        status, second = call(base, token, "/api/v1/lease", {})

        # The disk fills up while the participant works.
        fill(os.path.join(disk, "filler"))
        submit = {"lease_id": second["lease"]["id"], "idempotency_key": "k2",
                  "result": {"text": "four of hearts"}, "lead_time_ms": 1000}
        status, reply = call(base, token, "/api/v1/results", submit)
        message = (reply or {}).get("error", {}).get("message", "")
        tap.ok(status == 507 and "full" in message,
               f"the server answers that its disk is full: {status} {message!r}")
        tap.ok(server.poll() is None, "the server keeps running")

        r = queue(db, "import", write_tasks("more.jsonl", 400, "b"), "--media-root", DEMO,
                  check=False)
        tap.ok(r.returncode != 0 and "is full" in r.stderr,
               f"an import on the full disk names the problem: {r.stderr.strip()!r}")

        os.unlink(os.path.join(disk, "filler"))
        status, _ = call(base, token, "/api/v1/results", submit)
        tap.ok(status == 200, f"with room again the same result is accepted ({status})")
        status, _ = call(base, token, "/api/v1/results", submit)
        server.terminate()
        server.wait(10)
        server = None
        texts = sorted(r["result"]["text"] for r in export(db))
        tap.ok(texts == ["four of hearts", "ten of clubs"], f"each result is stored once: {texts}")
        tap.ok(queue(db, "stats").stdout.startswith("tasks\t20\n"),
               "the failed import left nothing behind")
        tap.ok(integrity(db) == "ok", "the database is intact")

        # The disk becomes read-only (a failing disk, a wrong mount).
        before = hashlib.sha256(open(db, "rb").read()).hexdigest()
        subprocess.run(["mount", "-o", "remount,ro", disk], check=True)
        r = queue(db, "import", write_tasks("ro.jsonl", 3, "c"), "--media-root", DEMO, check=False)
        tap.ok(r.returncode != 0 and "cannot be written" in r.stderr,
               f"an import on a read-only disk names the problem: {r.stderr.strip()!r}")
        r = queue(db, "export", "--format", "jsonl", check=False)
        tap.ok(r.returncode == 0 and len(r.stdout.splitlines()) == 2 or
               r.returncode != 0 and "cannot be written" in r.stderr,
               f"an export either works or names the problem: {r.stderr.strip()!r}")
        tap.ok(hashlib.sha256(open(db, "rb").read()).hexdigest() == before,
               "the database is unchanged")

    # A damaged local database on the workstation: reported, never reset.
    local = os.path.join(tmp, "local.db")
    queue(local, "import", write_tasks("local.jsonl", 300, "d"), "--media-root", DEMO)
    with open(local, "r+b") as f:
        f.seek(os.path.getsize(local) // 2)
        f.write(b"\xff" * 8192)
    before = hashlib.sha256(open(local, "rb").read()).hexdigest()
    app = App("--local", local)
    try:
        shown = app.find(contains="is damaged", timeout=10)
        tap.ok(shown is not None and "local.db" in (shown.name or "") + (app.stderr()),
               "the workstation says that its local database is damaged, and which file")
        tap.ok(app.find(role=pyatspi.ROLE_TEXT, timeout=1) is None, "no task is opened on it")
    finally:
        app.close()
    tap.ok(hashlib.sha256(open(local, "rb").read()).hexdigest() == before,
           "the damaged file is left exactly as it was")
finally:
    if server is not None:
        server.kill()
        server.wait()
    if mounted:
        subprocess.run(["umount", disk])
    shutil.rmtree(tmp, ignore_errors=True)
tap.done()
