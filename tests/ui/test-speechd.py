#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Voice mode through Speech Dispatcher, the queue a screen reader such as
Orca shares: a stand-in dispatcher speaks SSIP on a Unix socket (as in
tests/test-speech.c), and annolab's announcements reach it. Without a
dispatcher, annolab says why on the terminal and speaks with eSpeak NG."""
import os
import socket
import tempfile
import threading
import time

import pyatspi

from annolab_ui import DEMO, App, Tap, make_queue, skip_unless_desktop, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-speechd-")


class FakeSpeechd:
    """Answers SSIP; each message "speaks" for 300 ms, then ends."""

    def __init__(self, path):
        self.spoken = []
        self.commands = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.sock.accept()
        conn.settimeout(0.05)
        pending, text, receiving, next_id, speaking, end_at = b"", [], False, 1, 0, 0
        while True:
            if speaking and time.monotonic() >= end_at:
                conn.sendall(f"702-{speaking}\r\n702-1\r\n702 END\r\n".encode())
                speaking = 0
            try:
                data = conn.recv(4096)
                if not data:
                    return
                pending += data
            except socket.timeout:
                continue
            while b"\r\n" in pending:
                raw, pending = pending.split(b"\r\n", 1)
                line = raw.decode("utf-8", "replace")
                if receiving:
                    if line == ".":
                        receiving = False
                        self.spoken.append(" ".join(text))
                        conn.sendall(f"225-{next_id}\r\n225 OK MESSAGE QUEUED\r\n".encode())
                        conn.sendall(f"701-{next_id}\r\n701-1\r\n701 BEGIN\r\n".encode())
                        speaking, end_at, next_id = next_id, time.monotonic() + 0.3, next_id + 1
                    else:
                        text.append(line[1:] if line.startswith("..") else line)
                    continue
                self.commands.append(line)
                upper = line.upper()
                if upper == "SPEAK":
                    receiving, text = True, []
                    conn.sendall(b"230 OK RECEIVING DATA\r\n")
                elif upper == "HISTORY GET CLIENT_ID":
                    conn.sendall(b"245-1\r\n245 OK CLIENT ID SENT\r\n")
                elif upper.startswith("STOP"):
                    conn.sendall(b"210 OK STOPPED\r\n")
                    if speaking:
                        conn.sendall(f"703-{speaking}\r\n703-1\r\n703 CANCELED\r\n".encode())
                        speaking = 0
                elif upper == "QUIT":
                    conn.sendall(b"231 HAPPY HACKING\r\n")
                    return
                else:
                    conn.sendall(b"200 OK\r\n")


db = make_queue([{"id": "d1", "kind": "transcribe", "language": "en",
                  "instructions": {"nl": "Typ wat je hoort.", "en": "Type what you hear."},
                  "audio": os.path.join(DEMO, "audio", "cards-001.wav")}], tmp)
path = os.path.join(tmp, "speechd.sock")
fake = FakeSpeechd(path)
log = os.path.join(tmp, "speech.log")
app = App("--local", db, "--no-demo", "--voice", "--speech-output", "speech-dispatcher",
          "--speech-log", log, env={"SPEECHD_ADDRESS": "unix_socket:" + path})
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_TEXT) is not None, "the task opens in voice mode")
    heard = wait_until(lambda: [t for t in fake.spoken if "Type what you hear." in t], 10)
    tap.ok(bool(heard), f"the task's instructions reach Speech Dispatcher: {fake.spoken[:3]}")
    tap.ok(any(c.upper().startswith("SET SELF CLIENT_NAME") for c in fake.commands),
           "annolab introduces itself to the dispatcher")
    tap.ok(wait_until(lambda: os.path.exists(log) and "Type what you hear." in open(log).read(), 5),
           "the speech log still records what was said")
finally:
    app.close()

# No dispatcher at that address: eSpeak NG speaks instead, and the reason is given.
tmp2 = tempfile.mkdtemp(prefix="annolab-speechd-")
db = make_queue([{"id": "d2", "kind": "transcribe", "language": "en",
                  "instructions": {"nl": "Typ wat je hoort.", "en": "Type what you hear."},
                  "audio": os.path.join(DEMO, "audio", "cards-002.wav")}], tmp2)
log = os.path.join(tmp2, "speech.log")
app = App("--local", db, "--no-demo", "--voice", "--speech-output", "speech-dispatcher",
          "--speech-log", log,
          env={"SPEECHD_ADDRESS": "unix_socket:" + os.path.join(tmp2, "nobody.sock")})
try:
    app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(wait_until(lambda: os.path.exists(log) and "Type what you hear." in open(log).read(), 10),
           "without a dispatcher the task is still spoken (eSpeak NG)")
    tap.ok("Speech Dispatcher cannot be used" in app.stderr(),
           "and the terminal says why Speech Dispatcher was not used")
finally:
    app.close()
tap.done()
