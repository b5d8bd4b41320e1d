#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The orca and sound tests stop what they started, also when the app fails.

Each is run with an app that exits at once (ANNOLAB_WRAPPER=false puts
`false` in front of it) and a TMPDIR of its own, so that its private session
folder lies below that; afterwards no process may still carry that session
in its environment (speech-dispatcher, Orca, PulseAudio, parec). Anything
found is reported and then stopped by its pid."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from annolab_ui import Tap  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = "ANNOLAB_PRIVATE_SESSION="

if not os.environ.get("DISPLAY"):
    print("1..0 # SKIP needs Xvfb; run through ./test")
    sys.exit(77)
needs = ("orca", "speech-dispatcher", "script", "pulseaudio", "pactl", "parec", "dbus-run-session")
missing = [p for p in needs if shutil.which(p) is None]
if missing:
    print(f"1..0 # SKIP missing {' '.join(missing)} (./test installs them)")
    sys.exit(77)


def left_over(root):
    """(pid, command) of every process whose private session lies below root."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if any(e.startswith((MARK + root).encode()) for e in env):
            out.append((int(pid), cmd))
    return out


tap = Tap()
for name in ("test-orca.py", "test-sound.py"):
    root = tempfile.mkdtemp(prefix="annolab-cleanup-")
    env = dict(os.environ, TMPDIR=root, ANNOLAB_WRAPPER="false")
    r = subprocess.run([sys.executable, os.path.join(HERE, name)], env=env, capture_output=True,
                       text=True, timeout=120)
    tap.ok(r.returncode not in (0, 77), f"{name} fails when the app does (exit {r.returncode})")
    # Give what was told to stop a moment to go.
    end = time.monotonic() + 3
    while left_over(root) and time.monotonic() < end:
        time.sleep(0.1)
    rest = left_over(root)
    tap.ok(not rest, f"{name} leaves no process of its session behind: {rest}")
    for pid, _ in rest:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    shutil.rmtree(root, ignore_errors=True)
tap.done()
