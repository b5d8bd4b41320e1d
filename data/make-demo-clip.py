#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Makes data/demo/video/camera-pan.webm, its exact gold tracks as CVAT
for video XML, and the demo task on it in data/demo/tasks.jsonl.

The clip is a 160 x 120 window moving over the photograph images/camera.jpg
(512 x 512, CC0) at 10 frames a second: the camera in the man's hands (the
box drawn for the photo's box task: x 252, y 136, w 74, h 56) moves with a
known offset on every frame, so its track is known exactly. Frames 0-14 pan
right slowly (the camera stays whole in sight), 15-24 pan fast until it has
left on the left, 25-39 pan back until it is whole again.

Needs ImageMagick (convert) and GStreamer with vp8enc and webmmux
(gstreamer1.0-plugins-good). Run from the repository's top folder:
    python3 data/make-demo-clip.py
"""
import json
import os
import subprocess
import sys
import tempfile

DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo")
PHOTO = os.path.join(DEMO, "images", "camera.jpg")
OUT = os.path.join(DEMO, "video", "camera-pan.webm")
GOLD = os.path.join(DEMO, "video", "camera-pan.gold.xml")
TASKS = os.path.join(DEMO, "tasks.jsonl")
TASK_ID = "demo-video-camera-pan"
W, H, FPS, N = 160, 120, 10, 40
WY = 100
OBJECT = (252, 136, 74, 56)


def window_x(f):
    if f <= 14:
        return 180 + 4 * f
    if f <= 24:
        return 236 + 10 * (f - 14)
    return 336 - 9 * (f - 24)


def box_in_frame(f):
    """The camera's box in frame f, cut to the frame, or None when out of sight."""
    x, y, w, h = OBJECT
    x0, y0 = x - window_x(f), y - WY
    x1, y1 = max(0, x0), max(0, y0)
    x2, y2 = min(W, x0 + w), min(H, y0 + h)
    if x2 <= x1 or y2 <= y1:
        return None
    return (x1, y1, x2, y2)


def gold_xml():
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<annotations>",
             "  <version>1.1</version>", "  <meta>", "    <task>",
             "      <name>camera-pan</name>", "      <size>%d</size>" % N,
             "      <mode>interpolation</mode>",
             "      <labels>", "        <label>", "          <name>camera</name>",
             "        </label>", "      </labels>",
             "      <original_size><width>%d</width><height>%d</height></original_size>" % (W, H),
             "    </task>", "    <source>camera-pan.webm</source>", "  </meta>",
             '  <track id="0" label="camera" source="manual">']
    last = None
    for f in range(N):
        b = box_in_frame(f)
        if b is None:
            if last is not None:
                lines.append('    <box frame="%d" keyframe="1" outside="1" occluded="0" '
                             'xtl="%d" ytl="%d" xbr="%d" ybr="%d" z_order="0"></box>'
                             % ((f,) + last))
            last = None
            continue
        lines.append('    <box frame="%d" keyframe="1" outside="0" occluded="0" '
                     'xtl="%d" ytl="%d" xbr="%d" ybr="%d" z_order="0"></box>' % ((f,) + b))
        last = b
    lines += ["  </track>", "</annotations>", ""]
    return "\n".join(lines)


def gold_tracks():
    """The same keyframes as the XML, as the task's gold answer (times in seconds)."""
    keys, last = [], None
    for f in range(N):
        b = box_in_frame(f)
        if b is None:
            if last is not None:
                x1, y1, x2, y2 = last
                keys.append({"t": round(f / FPS, 4), "x": x1, "y": y1, "w": x2 - x1, "h": y2 - y1,
                             "outside": True})
            last = None
            continue
        x1, y1, x2, y2 = b
        keys.append({"t": round(f / FPS, 4), "x": x1, "y": y1, "w": x2 - x1, "h": y2 - y1,
                     "outside": False})
        last = b
    return {"tracks": [{"label": "camera", "keyframes": keys}]}


def demo_task():
    return {
        "id": TASK_ID, "kind": "video-boxes", "video": "video/camera-pan.webm", "labels": ["camera"],
        "fps": FPS, "start": 0, "end": N / FPS, "width": W, "height": H,
        "instructions": {
            "nl": "Volg de camera in de handen van de man met een box, beeld voor beeld. N: nieuw "
                  "spoor, 1: label camera. F en D: volgend en vorig beeld, Shift+F en Shift+D: een "
                  "seconde verder of terug. Elke verschuiving maakt een sleutelbeeld; daartussen "
                  "schuift de box vanzelf mee. Gaat de camera uit beeld, druk dan op O; komt hij "
                  "terug, druk weer op O. Klaar? Druk op Ctrl+Enter.",
            "en": "Follow the camera in the man's hands with a box, frame by frame. N: new track, "
                  "1: label camera. F and D: next and previous frame, Shift+F and Shift+D: one "
                  "second on or back. Every move makes a keyframe; in between the box follows by "
                  "itself. When the camera leaves sight, press O; when it comes back, press O "
                  "again. Done? Press Ctrl+Enter."},
        "gold": gold_tracks(),
    }


def write_task():
    with open(TASKS) as f:
        lines = [line for line in f if line.strip() and json.loads(line).get("id") != TASK_ID]
    lines.append(json.dumps(demo_task(), ensure_ascii=False) + "\n")
    with open(TASKS, "w") as f:
        f.writelines(lines)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for f in range(N):
            subprocess.run(["convert", PHOTO, "-crop", "%dx%d+%d+%d" % (W, H, window_x(f), WY),
                            "+repage", "-colorspace", "sRGB", "-type", "TrueColor",
                            os.path.join(tmp, "frame%02d.png" % f)], check=True)
        subprocess.run(["gst-launch-1.0", "-q", "multifilesrc",
                        "location=" + os.path.join(tmp, "frame%02d.png"), "index=0",
                        "stop-index=%d" % (N - 1),
                        "caps=image/png,framerate=%d/1" % FPS, "!", "pngdec", "!",
                        "videoconvert", "!", "video/x-raw,format=I420", "!", "vp8enc",
                        "deadline=0", "cpu-used=0", "end-usage=cq", "cq-level=4",
                        "keyframe-max-dist=10", "target-bitrate=1000000", "!", "webmmux", "!",
                        "filesink", "location=" + OUT], check=True)
    with open(GOLD, "w") as f:
        f.write(gold_xml())
    write_task()
    print("wrote %s (%d bytes) and %s" % (OUT, os.path.getsize(OUT), GOLD))


if __name__ == "__main__":
    sys.exit(main())
