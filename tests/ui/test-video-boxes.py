#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Boxes on video with the keyboard alone, in the real window: the demo clip
(a window panning across camera.jpg) is stepped through frame by frame, a
track made with N and labelled with 1, moved one second on to make a second
keyframe, the frames between read back as interpolated, the object marked
out of sight with O, and the answer submitted with Ctrl+Enter; then read
back with annolab-queue export as JSONL, CVAT for video XML and
MOTChallenge text. A video cut short and a text file named .webm are
reported broken with the reason, as broken recordings are."""
import os
import sqlite3
import tempfile
import xml.etree.ElementTree as ET

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, queue, skip_unless_desktop, \
    text_of, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-video-boxes-")
clip = os.path.join(DEMO, "video", "camera-pan.webm")
# Two videos damaged after the import: one cut short, one only text.
with open(clip, "rb") as f:
    data = f.read()
with open(os.path.join(tmp, "cut.webm"), "wb") as f:
    f.write(data[:len(data) // 3])
with open(os.path.join(tmp, "text.webm"), "w") as f:
    f.write("This is not a video, only text with a .webm name.\n" * 20)
broken = {"cut": "cut.webm is damaged or cut short", "text": "text.webm is not a video file"}
db = make_queue([{"id": "pan", "kind": "video-boxes", "video": clip, "labels": ["camera", "persoon"],
                  "instructions": {"en": "Follow the camera.", "nl": "Volg de camera."}}]
                + [{"id": name, "kind": "video-boxes", "video": os.path.join(tmp, f"{name}.webm"),
                    "labels": ["camera"]} for name in broken], tmp, broken=set(broken))


def files_in(folder):
    """The files an export wrote, in the participant's sub-folder."""
    return [os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs]


def description(node):
    try:
        return node.description or ""
    except Exception:
        return ""


app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    canvas = app.find(role=pyatspi.ROLE_IMAGE, name="Video frame with boxes", timeout=10 * app.slow)
    tap.ok(canvas is not None and wait_until(lambda: "frame 1 of 40" in description(canvas), 10 * app.slow),
           f"the clip's first frame is shown, 40 frames: {description(canvas) if canvas else None!r}")
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the frame has the keyboard")
    tap.ok("No tracks yet" in description(canvas), "no tracks yet, and N is named")
    key("n")
    key("1")
    tap.ok(wait_until(lambda: "Track 1 of 1, camera, keyframe" in description(canvas), 5),
           f"N makes a track, 1 labels it, a keyframe on frame 1: {description(canvas)!r}")
    key("shift+f")
    tap.ok(wait_until(lambda: "frame 11 of 40" in description(canvas), 5),
           f"Shift+F goes one second on: {description(canvas)!r}")
    tap.ok("camera, interpolated" in description(canvas), "the box stays there, not a keyframe")
    for _ in range(3):
        key("Left")
    tap.ok(wait_until(lambda: "camera, keyframe" in description(canvas), 5),
           f"moving the box makes a keyframe: {description(canvas)!r}")
    moved = description(canvas)
    for _ in range(3):
        key("ctrl+z")
    tap.ok(wait_until(lambda: "camera, interpolated" in description(canvas) and "40% from left" in description(canvas), 5),
           f"Ctrl+Z three times undoes the three moves and the keyframe: {description(canvas)!r}")
    for _ in range(3):
        key("ctrl+shift+z")
    tap.ok(wait_until(lambda: description(canvas) == moved, 5),
           f"Ctrl+Shift+Z three times brings them back: {description(canvas)!r}")
    for _ in range(5):
        key("d")
    tap.ok(wait_until(lambda: "frame 6 of 40" in description(canvas), 5)
           and "camera, interpolated" in description(canvas),
           f"D steps back; frame 6 lies between the keyframes: {description(canvas)!r}")
    key("shift+f")
    for _ in range(5):
        key("f")
    tap.ok(wait_until(lambda: "frame 21 of 40" in description(canvas), 5),
           f"F steps on to frame 21: {description(canvas)!r}")
    key("o")
    tap.ok(wait_until(lambda: "camera, leaves sight here" in description(canvas), 5),
           f"O: the camera leaves sight here: {description(canvas)!r}")
    key("f")
    tap.ok(wait_until(lambda: "camera, out of sight" in description(canvas), 5),
           f"and is out of sight on the next frame: {description(canvas)!r}")
    key("F1")
    help_window = app.window("Keys")
    help_label = help_window and app.find(contains="F or . / D or ,: next / previous frame", timeout=5,
                                          root=help_window)
    helptext = text_of(help_label) if help_label else ""
    tap.ok(help_label is not None and "N: new track: a box in the middle" in helptext
           and "O: the object leaves sight here" in helptext and "K: make this frame a keyframe" in helptext
           and "Space: play or pause the video" in helptext
           and "Ctrl+Z: undo a change of the tracks, also on another frame" in helptext,
           f"F1 lists the video keys from the key map: {helptext[:300]!r}")
    key("Escape")
    key("ctrl+Return")
    said = set()

    def notices():
        notice = app.find(contains="This task cannot be shown", timeout=0.5)
        said.add((notice.name or text_of(notice)) if notice else "")
        return app.find(contains="no tasks left", timeout=0.1) is not None
    wait_until(notices, 30, interval=0)
    # The queue hands them out in its own order, before or after the clip.
    tap.ok(any(problem in text for text in said for problem in broken.values()),
           f"the window says what is wrong with a broken video: {[t for t in said if t]}")
    tap.ok(app.find(contains="no tasks left", timeout=15) is not None, "Ctrl+Enter submitted; no tasks left")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

with sqlite3.connect(db) as c:
    rows = dict(c.execute("SELECT id, broken FROM tasks WHERE broken IS NOT NULL").fetchall())
for name, problem in broken.items():
    tap.ok(problem in (rows.get(name) or ""), f"{name}: reported broken, the store keeps the reason: {rows.get(name)!r}")

results = export(db)
tracks = results[0]["result"]["tracks"] if results else []
keys = tracks[0]["keyframes"] if tracks else []
tap.ok(len(tracks) == 1 and tracks[0]["label"] == "camera"
       and [(k["t"], k["outside"]) for k in keys] == [(0, False), (1.0, False), (2.0, True)],
       f"one track, keyframes at 0 s and 1 s and out of sight at 2 s: {tracks}")
moved = len(keys) == 3 and keys[1]["x"] < keys[0]["x"] and keys[1]["y"] == keys[0]["y"]
tap.ok(moved, "the second keyframe is further left")

out = os.path.join(tmp, "cvat")
queue(db, "export", "--format", "cvat-video", "--output", out)
files = files_in(out)
root = ET.parse(files[0]).getroot() if len(files) == 1 else None
boxes = root.findall("./track/box") if root is not None else []
marked = [(int(b.get("frame")), b.get("outside")) for b in boxes if b.get("keyframe") == "1"]
tap.ok(root is not None and root.findtext("version") == "1.1" and marked == [(0, "0"), (10, "0"), (20, "1")],
       f"CVAT video XML: keyframes on frames 0 and 10, outside on 20: {marked}")
tap.ok(len(boxes) == 21, f"and a box on every frame in sight, 0 to 19, plus the outside one ({len(boxes)})")

out = os.path.join(tmp, "mot")
queue(db, "export", "--format", "mot", "--output", out)
files = files_in(out)
rows = [line.split(",") for line in open(files[0])] if len(files) == 1 else []
tap.ok([int(r[0]) for r in rows] == list(range(1, 21)) and all(r[1] == "1" and r[6:] == ["1", "-1", "-1", "-1\n"]
                                                               for r in rows),
       f"MOT: track 1 on frames 1 to 20, one line each ({len(rows)} lines)")
if len(rows) == 20 and len(keys) == 3:
    x6 = float(rows[5][2])
    want = keys[0]["x"] + 0.5 * (keys[1]["x"] - keys[0]["x"])
    tap.ok(abs(x6 - want) < 0.01, f"frame 6 is interpolated halfway: x {x6} (expected {want:.2f})")
else:
    tap.ok(False, "frame 6 is interpolated halfway")
tap.done()
