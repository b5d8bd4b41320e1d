# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the real annolab window through the accessibility bus.

Tests start the workstation under Xvfb in a private D-Bus session (./test
sets both up), find its widgets by role and name over AT-SPI, and press keys
through the AT-SPI registry, as an assistive technology would.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

import pyatspi

BUILD = os.environ.get("ANNOLAB_BUILD_ROOT", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SOURCE = os.environ.get("ANNOLAB_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
ANNOLAB = os.path.join(BUILD, "app", "annolab")
QUEUE = os.path.join(BUILD, "server", "annolab-queue")

# X keycodes of the modifiers on Xvfb's default keymap.
MODIFIERS = {"ctrl": 37, "shift": 50, "alt": 64}
KEYSYMS = {
    "Return": 0xFF0D, "Tab": 0xFF09, "Escape": 0xFF1B, "Delete": 0xFFFF, "BackSpace": 0xFF08,
    "Left": 0xFF51, "Up": 0xFF52, "Right": 0xFF53, "Down": 0xFF54, "space": 0x20,
    "plus": 0x2B, "minus": 0x2D, "comma": 0x2C, "KP_Enter": 0xFF8D, "ctrl": 0xFFE3,
}
KEYSYMS.update({f"F{n}": 0xFFBE + n - 1 for n in range(1, 13)})


def skip_unless_desktop():
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("1..0 # SKIP needs Xvfb and a D-Bus session; run through ./test")
        sys.exit(77)


class Tap:
    """Minimal TAP output so meson counts every check."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what):
        self.n += 1
        if not cond:
            self.failed += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} {what}", flush=True)
        return cond

    def done(self):
        print(f"1..{self.n}", flush=True)
        sys.exit(1 if self.failed else 0)


def queue(db, *args, check=True):
    r = subprocess.run([QUEUE, "--db", db, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"annolab-queue {' '.join(args)} failed: {r.stderr}")
    return r


def export(db):
    out = queue(db, "export", "--format", "jsonl").stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


class App:
    def __init__(self, *args, env=None, lang="en"):
        self.tmp = tempfile.mkdtemp(prefix="annolab-ui-")
        e = dict(os.environ)
        e.update({"GSK_RENDERER": "cairo", "GDK_DEBUG": "gl-disable", "GTK_A11Y": "atspi", "LANGUAGE": lang,
                  "HOME": self.tmp,
                  "XDG_DATA_HOME": os.path.join(self.tmp, "data"),
                  "XDG_CACHE_HOME": os.path.join(self.tmp, "cache"),
                  "XDG_CONFIG_HOME": os.path.join(self.tmp, "config")})
        e.pop("G_DEBUG", None)
        if lang is None:
            # No language asked for: the locale in env decides, as on a lab PC.
            for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_NUMERIC"):
                e.pop(name, None)
        if env:
            e.update(env)
        self.log = open(os.path.join(self.tmp, "stderr.log"), "w+")
        # ANNOLAB_WRAPPER runs the app under a tool, e.g. valgrind.
        wrapper = os.environ.get("ANNOLAB_WRAPPER", "").split()
        self.slow = 10 if wrapper else 1
        self.proc = subprocess.Popen([*wrapper, ANNOLAB, "--audio-sink", "none", *args], env=e,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.app = None
        self.frame = self._wait_for_frame()

    def _wait_for_frame(self, timeout=30):
        end = time.time() + timeout * self.slow
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"annolab exited with {self.proc.returncode}: {self.stderr()}")
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                try:
                    if app is not None and app.name == "annolab" and app.get_process_id() == self.proc.pid:
                        for j in range(app.childCount):
                            frame = app.getChildAtIndex(j)
                            if frame is not None and frame.getRole() == pyatspi.ROLE_FRAME:
                                self.app = app
                                return frame
                except Exception:
                    continue
            time.sleep(0.1)
        raise RuntimeError("annolab did not appear on the accessibility bus")

    def stderr(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def all(self, root=None):
        """Every accessible below root (depth first)."""
        root = root or self.frame
        out = []
        stack = [root]
        while stack:
            node = stack.pop()
            try:
                out.append(node)
                for i in range(node.childCount - 1, -1, -1):
                    child = node.getChildAtIndex(i)
                    if child is not None:
                        stack.append(child)
            except Exception:
                continue
        return out

    def window(self, name, timeout=5):
        """Another top-level window of the app (a dialog), by its title."""
        end = time.time() + timeout
        while time.time() < end:
            for i in range(self.app.childCount):
                w = self.app.getChildAtIndex(i)
                if w is not None and w.name == name:
                    return w
            time.sleep(0.1)
        return None

    def find(self, role=None, name=None, timeout=10, contains=None, root=None):
        end = time.time() + timeout
        while time.time() < end:
            for node in self.all(root):
                try:
                    if role is not None and node.getRole() != role:
                        continue
                    if name is not None and node.name != name:
                        continue
                    if contains is not None and contains not in (node.name or "") + text_of(node):
                        continue
                    return node
                except Exception:
                    continue
            time.sleep(0.1)
        return None

    def focused(self):
        for node in self.all():
            try:
                if node.getState().contains(pyatspi.STATE_FOCUSED):
                    return node
            except Exception:
                continue
        return None

    def wait_focused(self, role, timeout=10):
        # Under valgrind a new task's pipeline takes its time, as for the start.
        end = time.time() + timeout * self.slow
        while time.time() < end:
            node = self.focused()
            if node is not None and node.getRole() == role:
                return node
            time.sleep(0.1)
        return None

    def close(self):
        """Quit with Ctrl+Q; returns the exit status (valgrind's when wrapped)."""
        if self.proc.poll() is None:
            key("ctrl+q")
            try:
                self.proc.wait(5 * self.slow)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait(5)
        if self.proc.returncode != 0:
            # Keep the reason in the test log: the folder is removed next.
            sys.stderr.write(self.stderr()[-20000:])
        shutil.rmtree(self.tmp, ignore_errors=True)
        return self.proc.returncode


def text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except Exception:
        return ""


def key(combo, delay=0.05):
    """Press a key such as 'N', 'ctrl+Return' or 'ctrl+shift+Down'."""
    parts = combo.split("+")
    mods, name = parts[:-1], parts[-1]
    if combo.endswith("++"):
        mods, name = combo[:-2].split("+") if combo[:-2] else [], "plus"
    for m in mods:
        pyatspi.Registry.generateKeyboardEvent(MODIFIERS[m], None, pyatspi.KEY_PRESS)
    sym = KEYSYMS.get(name)
    if sym is None:
        sym = ord(name.lower()) if len(name) == 1 and name.isalpha() else ord(name)
    pyatspi.Registry.generateKeyboardEvent(sym, None, pyatspi.KEY_SYM)
    for m in reversed(mods):
        pyatspi.Registry.generateKeyboardEvent(MODIFIERS[m], None, pyatspi.KEY_RELEASE)
    time.sleep(delay)


def type_text(text, delay=0.05):
    pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
    time.sleep(delay)


def wait_until(fn, timeout=10, interval=0.1):
    end = time.time() + timeout
    while time.time() < end:
        value = fn()
        if value:
            return value
        time.sleep(interval)
    return fn()


def log_lines(path):
    """The tab-separated fields of each line of a speech or event log."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def media_key(task):
    if task.get("kind") == "bbox":
        return "image"
    if task.get("kind") == "video-boxes":
        return "video"
    if task.get("kind") in ("classify", "subtitle-review"):
        return next(k for k in ("image", "audio", "video") if k in task)
    return "audio"


def media_of(task):
    return task.get(media_key(task))


def make_queue(tasks, tmp, broken=()):
    """A local queue file holding exactly these tasks (dicts in the native format).

    An import takes only readable media inside one folder (--media-root: the
    folder all these files share). Tasks named in @broken have media meant to be
    missing or damaged: they go in with a good stand-in, and their own path is
    written into the file afterwards, as damage after the import would be."""
    stand_in = {"image": os.path.join(DEMO, "images", "coins.png"),
                "audio": os.path.join(DEMO, "audio", "cards-001.wav"),
                "video": os.path.join(DEMO, "video", "camera-pan.webm")}
    checked = [dict(t, **{media_key(t): stand_in[media_key(t)]})
               if t["id"] in broken else t for t in tasks]
    path = os.path.join(tmp, "tasks.jsonl")
    with open(path, "w") as f:
        for t in checked:
            f.write(json.dumps(t) + "\n")
    root = os.path.commonpath([os.path.dirname(os.path.abspath(media_of(t))) for t in checked])
    db = os.path.join(tmp, "queue.db")
    queue(db, "import", path, "--media-root", root)
    c = sqlite3.connect(db)
    with c:
        for t in tasks:
            if t["id"] not in broken:
                continue
            key = "$." + media_key(t)
            c.execute("INSERT OR IGNORE INTO media(path) VALUES (?)", (media_of(t),))
            c.execute("UPDATE tasks SET data = json_set(data, ?, ?), media_id = "
                      "(SELECT id FROM media WHERE path = ?) WHERE id = ?",
                      (key, media_of(t), media_of(t), t["id"]))
    c.close()
    return db


DEMO = os.path.join(SOURCE, "data", "demo")


def make_clip(path, image, audio):
    """A short WebM clip: a demo photo held for 2 s over a demo recording."""
    subprocess.run(["gst-launch-1.0", "-q", "webmmux", "name=m", "!", "filesink", f"location={path}",
                    "filesrc", f"location={image}", "!", "jpegdec", "!",
                    "videoconvert", "!", "imagefreeze", "num-buffers=50", "!", "video/x-raw,framerate=25/1",
                    "!", "videoconvert", "!", "vp8enc", "deadline=1", "!", "m.",
                    "filesrc", f"location={audio}", "!", "wavparse", "!",
                    "audioconvert", "!", "audioresample", "!", "vorbisenc", "!", "m."], check=True)
    return path


def spread(path, x, y, w, h):
    """How much the grey level varies in a part of a screenshot: a picture varies, an empty area does not."""
    out = subprocess.run(["convert", path, "-crop", f"{w}x{h}+{x}+{y}", "-colorspace", "gray", "-format",
                          "%[fx:standard_deviation]", "info:"], capture_output=True, text=True)
    return float(out.stdout or 0)
