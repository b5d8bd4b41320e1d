#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A PocketSphinx draft corrected with the keyboard alone. The demo's
cards-003 task opens with the model's draft "son of close" in the text
field and its unsure words marked; Alt+Right selects the next unsure word,
typing replaces it, Alt+Shift+Right selects the next word. The longer
austen-0890 draft is corrected across a restart: the draft comes back with
the unsure words that are left still marked. A gold task never shows its
draft, and a malformed proposal is refused on import with a message that
names it. Ctrl+Enter on a draft left untouched asks first (a notice, and
the same words in voice mode) and sends on the second. The stored results' marks are read back with export and checked
against a word alignment done here; the keys are counted against typing
the transcript from nothing."""
import json
import os
import subprocess
import tempfile

import pyatspi

from annolab_ui import DEMO, QUEUE, App, Tap, export, key, log_lines, make_queue, \
    skip_unless_desktop, text_of, type_text, wait_until

skip_unless_desktop()
tap = Tap()
tmp = tempfile.mkdtemp(prefix="annolab-proposal-transcribe-")

with open(os.path.join(DEMO, "tasks.jsonl")) as f:
    demo = {t["id"]: t for t in map(json.loads, f)}
with open(os.path.join(DEMO, "reference.trn")) as f:
    reference = {line.rsplit("(", 1)[1].strip(" )\n"): line.rsplit("(", 1)[0].strip() for line in f}


def task(name, **extra):
    t = dict(demo[name], audio=os.path.join(DEMO, demo[name]["audio"]))
    t.update(extra)
    return t


cards = task("demo-speech-cards-003", id="cards")
austen = task("demo-speech-austen-0890", id="austen")
tap.ok(cards["proposal"]["model"] == "pocketsphinx" and austen["proposal"]["text"],
       "the demo's transcription tasks carry PocketSphinx drafts")
keys = {"cards": 0, "austen": 0}
current = None


def press(combo):
    keys[current] += 1
    key(combo, 0.15)


def typed(text):
    keys[current] += len(text)
    type_text(text, 0.15)


def align(draft, final):
    """Counts of a fewest-edits word alignment, as word error rate aligns."""
    n, m = len(draft), len(final)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j - 1] + (draft[i - 1] != final[j - 1]),
                             cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    counts = {"accepted": 0, "changed": 0, "added": 0, "rejected": 0}
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (draft[i - 1] != final[j - 1]):
            counts["accepted" if draft[i - 1] == final[j - 1] else "changed"] += 1
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            counts["rejected"] += 1
            i -= 1
        else:
            counts["added"] += 1
            j -= 1
    return counts


def selection(view):
    t = view.queryText()
    if t.getNSelections() == 0:
        return ""
    s, e = t.getSelection(0)
    return t.getText(s, e)


def status(app, text, timeout=5):
    return app.find(contains=text, timeout=timeout)


# Bad input: a proposal that is not an object is refused, naming the task.
bad = os.path.join(tmp, "bad.jsonl")
with open(bad, "w") as f:
    f.write(json.dumps(dict(cards, proposal="son of close")) + "\n")
r = subprocess.run([QUEUE, "--db", os.path.join(tmp, "bad.db"), "import", bad, "--media-root", DEMO],
                   capture_output=True, text=True)
tap.ok(r.returncode != 0 and 'task cards: "proposal" must be an object' in r.stderr,
       f"a malformed proposal is refused with a clear message: {r.stderr.strip()!r}")
with open(bad, "w") as f:
    f.write(json.dumps(dict(cards, proposal=dict(cards["proposal"], words=[{"word": "son", "confidence": 7}])))
            + "\n")
r = subprocess.run([QUEUE, "--db", os.path.join(tmp, "bad2.db"), "import", bad, "--media-root", DEMO],
                   capture_output=True, text=True)
tap.ok(r.returncode != 0 and "confidence" in r.stderr and "from 0 to 1" in r.stderr,
       f"so is a confidence out of range: {r.stderr.strip()!r}")

# A check task never shows the model's draft.
gold_dir = os.path.join(tmp, "gold")
os.makedirs(gold_dir)
gold_db = make_queue([dict(cards, id="g1", gold={"text": reference["demo-speech-cards-003"]})], gold_dir)
app = App("--local", gold_db, "--no-demo", "--participant", "tester")
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None and wait_until(lambda: app.find(contains="Recording", timeout=1), 5) and
           text_of(view) == "" and app.find(contains="Model proposal", timeout=1) is None,
           "a gold task opens with an empty text field and no proposal")
finally:
    app.close()

db = make_queue([cards, austen], tmp)
app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    current = "cards"
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None and wait_until(lambda: text_of(view) == "son of close", 5),
           f"the task opens with the model's draft in the text field: {text_of(view) if view else None!r}")
    note = status(app, "Model proposal (pocketsphinx 0.8+5prealpha)")
    tap.ok(note is not None and "2 unsure words are underlined: Alt+Right selects the next" in
           (note.name or "") + text_of(note), "a note says it is the model's draft, with the key")
    press("alt+Right")
    tap.ok(wait_until(lambda: selection(view) == "son", 3), f"Alt+Right selects the first unsure word: "
                                                             f"{selection(view)!r}")
    tap.ok("the model was 1% sure" in (view.description or ""),
           f"the text field's description says how sure the model was: {view.description!r}")
    typed("seven")
    tap.ok(wait_until(lambda: text_of(view) == "seven of close", 3), "typing replaces it")
    key("ctrl+i")
    tap.ok(status(app, "1 unsure word of the model's draft is left.") is not None,
           "Ctrl+I says how many unsure words are left")
    press("alt+Right")
    tap.ok(wait_until(lambda: selection(view) == "of", 3), "Alt+Right goes on to the next unsure word")
    press("alt+Right")
    tap.ok(status(app, "No more unsure words after this one.") is not None and selection(view) == "of",
           "past the last one it says so and the selection stays")
    press("alt+shift+Right")
    tap.ok(wait_until(lambda: selection(view) == "close", 3),
           "Alt+Shift+Right selects the next word, which the model was sure of")
    typed("clubs")
    tap.ok(wait_until(lambda: text_of(view) == reference["demo-speech-cards-003"], 3),
           f"the corrected transcript: {text_of(view)!r}")
    press("ctrl+Return")

    current = "austen"
    tap.ok(wait_until(lambda: text_of(app.wait_focused(pyatspi.ROLE_TEXT)) == austen["proposal"]["text"], 10),
           "the next task opens with its draft")
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    press("alt+Right")
    tap.ok(wait_until(lambda: selection(view) == "hello", 3), "its first unsure word is selected")
    typed("unless")
    press("alt+Right")
    tap.ok(wait_until(lambda: selection(view) == "study", 3), "then the second")
    typed("to be")
    wait_until(lambda: False, 1.0)  # the draft is saved off the main loop
finally:
    code = app.close()
tap.ok(code == 0, f"the workstation quits halfway through the task (exit status {code})")

app = App("--local", db, "--no-demo", "--participant", "tester")
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    half = "unless to be rather cold hearted and rather selfish is to the oldest those"
    tap.ok(view is not None and wait_until(lambda: text_of(view) == half, 5),
           f"after a restart the text is as it was left: {text_of(view) if view else None!r}")
    press("alt+Right")
    tap.ok(wait_until(lambda: selection(view) == "those", 3),
           f"the unsure words left are still marked: Alt+Right selects 'those': {selection(view)!r}")
    typed("disposed")
    for target, word in (("oldest", "ill"), ("the", "be")):
        press("alt+shift+Left")
        press("alt+shift+Left")
        tap.ok(wait_until(lambda: selection(view) == target, 3),
               f"Alt+Shift+Left goes back word by word to '{target}': {selection(view)!r}")
        typed(word)
    tap.ok(wait_until(lambda: text_of(view) == reference["demo-speech-austen-0890"], 3),
           f"the corrected transcript matches the reference: {text_of(view)!r}")
    press("ctrl+Return")
    tap.ok(status(app, "no tasks left", 10) is not None, "both tasks are done")
finally:
    code = app.close()
tap.ok(code == 0, f"the workstation quits cleanly (exit status {code})")

results = {r["task_id"]: r["result"] for r in export(db)}
for name, t in (("cards", cards), ("austen", austen)):
    result = results.get(name, {})
    want = align(t["proposal"]["text"].split(), result.get("text", "").split())
    mark = result.get("proposal", {})
    tap.ok(result.get("text") == reference["demo-speech-" + t["audio"].rsplit("/", 1)[1][:-4]],
           f"{name}: the stored text is the reference transcript")
    tap.ok(mark.get("model") == "pocketsphinx" and mark.get("version") == "0.8+5prealpha" and
           all(mark.get(k) == v for k, v in want.items()),
           f"{name}: the mark counts accepted, changed, added and rejected words: {mark} (aligned: {want})")
tap.ok(results.get("cards", {}).get("proposal", {}).get("accepted") == 1, "cards: 'of' was kept as proposed")

# The keys are the key map's: own keys in keys.ini are the ones named, F1
# lists them, and they work.
config = os.path.join(tmp, "config")
os.makedirs(os.path.join(config, "annolab"))
with open(os.path.join(config, "annolab", "keys.ini"), "w") as f:
    f.write("[keys]\ntranscribe.next-unsure=<Control>j\n")
remap = os.path.join(tmp, "remap")
os.makedirs(remap)
app = App("--local", make_queue([cards], remap), "--no-demo", env={"XDG_CONFIG_HOME": config})
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    note = status(app, "Model proposal (pocketsphinx 0.8+5prealpha)")
    tap.ok(note is not None and "Ctrl+J selects the next" in (note.name or "") + text_of(note),
           "with its own key in keys.ini the note names that key")
    key("ctrl+j")
    tap.ok(wait_until(lambda: selection(view) == "son", 3), "and that key selects the unsure word")
    key("F1")
    window = app.window("Keys")
    node = window and app.find(role=pyatspi.ROLE_TEXT, root=window, timeout=5)
    text = text_of(node) if node else ""
    key("Escape")
    tap.ok("Ctrl+J" in text and "next / previous unsure word of the model's draft" in text and
           "Shift+Alt+Right" in text and "say the word at the cursor" in text,
           f"F1 lists the draft's keys: {[line for line in text.splitlines() if 'word' in line]}")
finally:
    app.close()

# A draft sent untouched asks first, as unchecked boxes do: a notice and the
# same words said (in voice mode); the second Ctrl+Enter sends it, every
# word accepted.
untouched = os.path.join(tmp, "untouched")
os.makedirs(untouched)
speech_log = os.path.join(tmp, "speech.log")
untouched_db = make_queue([cards], untouched)
app = App("--local", untouched_db, "--no-demo", "--voice", "--speech-log", speech_log)
try:
    view = app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(view is not None and wait_until(lambda: text_of(view) == "son of close", 5),
           "the draft is in the text field")
    key("ctrl+Return")
    notice = status(app, "The text is the model's draft, not changed yet.")
    asked = (notice.name or "") + text_of(notice) if notice else ""
    tap.ok("Alt+Right selects the next unsure word. 2 unsure words of the model's draft are left. "
           "If it is right as it is, press Ctrl+Enter again to send it." in asked,
           f"the first Ctrl+Enter on the untouched draft asks, with the keys: {asked!r}")
    tap.ok(wait_until(lambda: any("The text is the model's draft, not changed yet." in r[3]
                                  for r in log_lines(speech_log)), 5),
           "and says it")
    tap.ok(status(app, "no tasks left", 1) is None, "nothing is sent yet")
    key("ctrl+Return")
    tap.ok(status(app, "no tasks left", 10) is not None, "the second Ctrl+Enter sends it")
finally:
    code = app.close()
sent = {r["task_id"]: r["result"] for r in export(untouched_db)}.get("cards", {})
tap.ok(code == 0 and sent.get("text") == "son of close" and
       (sent.get("proposal", {}).get("accepted"), sent.get("proposal", {}).get("changed")) == (3, 0),
       f"sent as the model's draft, its three words accepted: {sent}")

# Three words of which two are wrong save nothing (the cards walk also tries
# a key past the last unsure word); a sentence with five wrong words does.
for name, t in (("cards", cards), ("austen", austen)):
    plain = len(reference["demo-speech-" + t["audio"].rsplit("/", 1)[1][:-4]]) + 1
    print(f"# keys for {name}: {keys[name]} correcting the draft, {plain} typing it and submitting")
plain = len(reference["demo-speech-austen-0890"]) + 1
tap.ok(keys["austen"] < plain / 2, f"austen: {keys['austen']} keys with the draft, {plain} without")
tap.done()
