#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A short clip with a face for the face tracks: a 240 x 180 window panning
right to left over the astronaut's face in data/demo/images/astronaut.jpg
at 10 frames a second, made the way data/make-demo-clip.py makes the demo
clip. The face (drawn by hand on the photo: x 170, y 62, w 105, h 115)
stays whole in sight and moves 4 pixels a frame, so its gold track is two
keyframes.

    make-face-clip.py OUT.webm     writes the clip, prints the task as JSON
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get("ANNOLAB_SOURCE_ROOT",
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PHOTO = os.path.join(ROOT, "data", "demo", "images", "astronaut.jpg")
W, H, FPS, N = 240, 180, 10, 30
WY = 30
FACE = (170, 62, 105, 115)


def window_x(f):
    return 40 + 4 * f


def face_in_frame(f):
    x, y, w, h = FACE
    return (x - window_x(f), y - WY, w, h)


def gold():
    keys = []
    for f in (0, N - 1):
        x, y, w, h = face_in_frame(f)
        keys.append({"t": round(f / FPS, 4), "x": x, "y": y, "w": w, "h": h, "outside": False})
    return {"tracks": [{"label": "gezicht", "keyframes": keys}]}


def make(out):
    with tempfile.TemporaryDirectory() as tmp:
        for f in range(N):
            subprocess.run(["convert", PHOTO, "-crop", "%dx%d+%d+%d" % (W, H, window_x(f), WY),
                            "+repage", "-colorspace", "sRGB", "-type", "TrueColor",
                            os.path.join(tmp, "frame%02d.png" % f)], check=True)
        subprocess.run(["gst-launch-1.0", "-q", "multifilesrc",
                        "location=" + os.path.join(tmp, "frame%02d.png"), "index=0",
                        "stop-index=%d" % (N - 1), "caps=image/png,framerate=%d/1" % FPS, "!",
                        "pngdec", "!", "videoconvert", "!", "video/x-raw,format=I420", "!",
                        "vp8enc", "deadline=0", "cpu-used=0", "end-usage=cq", "cq-level=4",
                        "keyframe-max-dist=10", "target-bitrate=1000000", "!", "webmmux", "!",
                        "filesink", "location=" + out], check=True)
    return {"kind": "video-boxes", "video": out, "labels": ["gezicht"], "fps": FPS, "start": 0,
            "end": N / FPS, "width": W, "height": H}


if __name__ == "__main__":
    task = make(sys.argv[1])
    task["gold"] = gold()
    print(json.dumps(task))
