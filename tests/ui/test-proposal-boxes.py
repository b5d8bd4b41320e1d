#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Proposed boxes with the keyboard alone: the demo's face proposals on the
astronaut photo (made once with OpenCV's cascade, data/demo/SOURCES.md) are
on the photo when it opens, described as proposals; Tab and Shift+Tab visit
them, Enter accepts, Delete rejects, an arrow adjusts (changed), N draws one
more (added). A restart keeps which were accepted. Ctrl+Enter with proposals
not checked asks first. A gold task never shows its proposal. The stored
results and their marks are read back with annolab-queue export, and the
keys of the same face task done with and without the proposal are counted."""
import json
import os
import sqlite3
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, export, key, make_queue, skip_unless_desktop, text_of, \
    wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-proposal-boxes-")

with open(os.path.join(DEMO, "tasks.jsonl")) as f:
    demo = {t["id"]: t for t in map(json.loads, f)}
astronaut = dict(demo["demo-box-astronaut"], image=os.path.join(DEMO, "images", "astronaut.jpg"))
proposal = astronaut["proposal"]
tap.ok(proposal["model"] == "opencv-haar" and len(proposal["boxes"]) == 3,
       "the demo's astronaut task carries the cascade's three face proposals")
face = proposal["boxes"][0]

# The embedded local queue is seeded from the demo file and keeps the
# proposals, so that a participant on the demo meets them.
fresh = os.path.join(tmp, "fresh.db")
app = App("--local", fresh, "--participant", "tester")
try:
    tap.ok(app.wait_focused(pyatspi.ROLE_IMAGE) is not None, "the demo starts on a fresh local queue")
finally:
    app.close()
c = sqlite3.connect(fresh)
seeded = {i: (json.loads(p), g) for i, p, g in c.execute(
    "SELECT t.id, p.proposal, t.is_gold FROM proposals p JOIN tasks t ON t.seq = p.task_seq")}
c.close()
with_proposal = sorted(seeded)
tap.ok(with_proposal == ["demo-box-astronaut", "demo-speech-austen-0890", "demo-speech-cards-003"] and
       seeded["demo-box-astronaut"][0] == proposal and not any(g for d, g in seeded.values()),
       f"the demo queue keeps the three proposals, none on a gold task: {with_proposal}")

gold_dir = os.path.join(tmp, "gold")
os.makedirs(gold_dir)
gold_db = make_queue([dict(astronaut, id="g1", gold={"boxes": [{"label": "gezicht", "x": 176, "y": 66,
                                                                "w": 96, "h": 96}]})], gold_dir)
db = make_queue([
    dict(astronaut, id="p1"),
    dict(astronaut, id="p2"),
    dict(astronaut, id="p3"),
    {k: v for k, v in astronaut.items() if k != "proposal"} | {"id": "plain"},
], tmp)
stored = {}
for path in (gold_db, db):
    c = sqlite3.connect(path)
    stored.update(c.execute("SELECT t.id, p.proposal FROM proposals p"
                            " JOIN tasks t ON t.seq = p.task_seq"))
    c.close()
tap.ok("g1" in stored and "p1" in stored and "plain" not in stored,
       "the store keeps the proposals, the gold task's too (to measure the model), "
       "and none where the file had none")
keys = {"p1": 0, "p2": 0, "p3": 0, "plain": 0}
current = None


def press(combo):
    if current in keys:
        keys[current] += 1
    key(combo, 0.15)


def photo(app):
    return app.wait_focused(pyatspi.ROLE_IMAGE)


def described(app, text, timeout=5):
    return wait_until(lambda: (photo(app).description or "") if text in (photo(app).description or "") else None,
                      timeout)


# A check task measures the person: it never shows the model's boxes.
app = App("--local", gold_db, "--no-demo", "--participant", "tester")
try:
    canvas = photo(app)
    tap.ok(canvas is not None and described(app, "No boxes yet") is not None,
           f"the gold task opens without the proposal: {canvas.description if canvas else None!r}")
    tap.ok(app.find(contains="Model proposal", timeout=1) is None, "and without the note")
    key("F1")
    window = app.window("Keys")
    node = window and app.find(role=pyatspi.ROLE_TEXT, root=window, timeout=5)
    listed = text_of(node) if node else ""
    key("Escape")
    tap.ok(listed and "proposed box" not in listed, "and F1 has no key for proposals there")
finally:
    app.close()

app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    # p1: the proposals are there, the first selected.
    current = "p1"
    d = described(app, "Box 1 of 3, model proposal, not checked yet, gezicht, 97% sure", 10)
    key("F1")
    window = app.window("Keys")
    node = window and app.find(role=pyatspi.ROLE_TEXT, root=window, timeout=5)
    listed = text_of(node) if node else ""
    key("Escape")
    wait_until(lambda: app.window("Keys", 0.1) is None, 5)
    tap.ok("Enter: accept the model's proposed box" in listed,
           f"F1 lists Enter for accepting a proposal: "
           f"{[line for line in listed.splitlines() if 'Enter' in line]}")
    tap.ok(d is not None and "Enter accepts it, Delete or Backspace rejects it" in d,
           f"the photo's description names the proposal, its label and confidence: {d!r}")
    note = app.find(contains="Model proposal (opencv-haar 4.6.0)", timeout=3)
    tap.ok(note is not None and "3 boxes to check, drawn dashed." in (note.name or "") + text_of(note),
           "a note above the photo says that the boxes are the model's proposal")
    press("Tab")
    tap.ok(described(app, "Box 2 of 3, model proposal, not checked yet, gezicht, 32% sure") is not None,
           "Tab goes to the next proposal")
    press("shift+Tab")
    tap.ok(described(app, "Box 1 of 3, model proposal") is not None, "Shift+Tab goes back")
    press("Return")
    d = described(app, "Accepted: gezicht.")
    tap.ok(d is not None and "Box 2 of 3, model proposal, not checked yet" in d,
           f"Enter accepts it and goes to the next unchecked proposal: {d!r}")
    press("Delete")
    d = described(app, "Proposal rejected")
    tap.ok(d is not None and "Box 2 of 2, model proposal, not checked yet, gezicht, 19% sure" in d,
           f"Delete rejects it and goes on to the last one: {d!r}")
    wait_until(lambda: False, 1.0)  # the draft is saved off the main loop
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits with the task half done (exit status {status})")

app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    d = described(app, "Box 2 of 2, model proposal, not checked yet, gezicht, 19% sure", 10)
    tap.ok(d is not None, f"after a restart the draft is back with the proposal still unchecked: "
                          f"{photo(app).description if photo(app) else None!r}")
    press("shift+Tab")
    tap.ok(described(app, "Box 1 of 2, model proposal, accepted, gezicht") is not None,
           "and the accepted one still accepted")
    press("Tab")
    press("Right")
    tap.ok(described(app, "Box 2 of 2, model proposal, changed by you") is not None,
           "an arrow adjusts a proposal: it is changed")
    press("n")
    press("2")
    press("ctrl+Return")
    # p2: Ctrl+Enter with nothing checked asks first.
    current = "p2"
    tap.ok(described(app, "Box 1 of 3, model proposal, not checked yet", 10) is not None,
           "the next task opens with its proposals")
    press("ctrl+Return")
    notice = app.find(contains="3 proposed boxes are not checked yet", timeout=5)
    tap.ok(notice is not None and "press Ctrl+Enter again to send them as proposed" in
           (notice.name or "") + text_of(notice),
           "Ctrl+Enter with unchecked proposals says so and how to check them")
    press("ctrl+Return")
    # p3: the face task with the proposal: the face kept, the two others not.
    current = "p3"
    tap.ok(described(app, "Box 1 of 3, model proposal, not checked yet", 10) is not None,
           "the third proposal task opens")
    for combo in ["Return", "Delete", "Delete"]:
        press(combo)
    tap.ok(described(app, "All proposed boxes are checked.") is not None,
           "after the last proposal the photo says that all are checked")
    press("ctrl+Return")
    # plain: the same face drawn from nothing.
    current = "plain"
    tap.ok(described(app, "No boxes yet", 10) is not None, "the task without a proposal opens empty")
    press("n")
    for combo in ["shift+Up"] * 3 + ["Down"] * 3 + ["Left"] * 6 + ["ctrl+Left", "ctrl+Up", "1"]:
        press(combo)
    press("ctrl+Return")
    tap.ok(app.find(contains="no tasks left", timeout=10) is not None, "all four tasks are done")
finally:
    status = app.close()
tap.ok(status == 0, f"the workstation quits cleanly (exit status {status})")

results = {r["task_id"]: r["result"] for r in export(db)}
p1 = results.get("p1", {})
origins = sorted(b.get("origin") for b in p1.get("boxes", []))
tap.ok(origins == ["added", "changed", "proposed"], f"p1's boxes are marked proposed, changed, added: {p1}")
mark = p1.get("proposal", {})
tap.ok(mark.get("model") == "opencv-haar" and mark.get("version") == "4.6.0" and
       (mark.get("accepted"), mark.get("changed"), mark.get("added"), mark.get("rejected")) == (1, 1, 1, 1),
       f"p1's mark: 1 accepted, 1 changed, 1 added, 1 rejected: {mark}")
kept = [b for b in p1.get("boxes", []) if b.get("origin") == "proposed"]
tap.ok(kept and all(kept[0][k] == face[k] for k in "xywh"), "the accepted box is the proposed one")
p2 = results.get("p2", {})
tap.ok(p2.get("proposal", {}).get("accepted") == 3 and
       all(b.get("origin") == "proposed" for b in p2.get("boxes", [])),
       f"sent on the second Ctrl+Enter, unchecked proposals count as accepted: {p2.get('proposal')}")
tap.ok("proposal" not in results.get("plain", {}) and
       all("origin" not in b for b in results.get("plain", {}).get("boxes", [])),
       "results of tasks without a proposal carry no marks")


def iou(a, b):
    ix = max(0, min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]))
    iy = max(0, min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]))
    inter = ix * iy
    return inter / (a["w"] * a["h"] + b["w"] * b["h"] - inter)


drawn = results.get("plain", {}).get("boxes", [{}])[0]
tap.ok(drawn and iou(drawn, face) > 0.9, f"drawn by keys, the face box matches the proposal (IoU "
                                         f"{iou(drawn, face) if drawn else 0:.2f})")
p3 = results.get("p3", {}).get("boxes", [])
tap.ok(len(p3) == 1 and iou(p3[0], face) == 1.0 and keys["p3"] < keys["plain"],
       f"with the proposal the same face box takes {keys['p3']} keys instead of {keys['plain']}")
print(f"# keys for the face task: {keys['plain']} without the proposal (draw and label), "
      f"{keys['p3']} with it (accept, reject, reject, submit); p1 {keys['p1']} (visit, accept, "
      f"reject, restart, adjust, add a flag), p2 {keys['p2']} (send as proposed)")
tap.done()
