#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a blind worker hears: the real Orca 43 over the workstation, with a
real Speech Dispatcher, both started by this test in a private session.

The walk is by keyboard only: a transcription task, F1, the menu, the
settings, a box task (with feedback), a break warning and the end of the
session; at each step the test checks what Orca said (its debug output,
every SPEECH OUTPUT line). Then the same in voice mode: annolab's own
announcements go through Speech Dispatcher, each once, and never double
what Orca says (the dispatcher's log, by client name)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import orca_session  # noqa: E402

orca_session.private_session()

import pyatspi  # noqa: E402

from annolab_ui import DEMO, App, Tap, key, log_lines, make_queue, queue, type_text  # noqa: E402
from orca_session import Orca, SpeechDispatcher, wait_for  # noqa: E402

tap = Tap()
home = os.environ[orca_session.MARK]

TRANSCRIBE = {"id": "o-1", "kind": "transcribe", "language": "en", "training": True,
              "gold": {"text": "ten of clubs"},
              "instructions": {"nl": "Typ de speelkaart die je hoort.", "en": "Type the card you hear."},
              "audio": os.path.join(DEMO, "audio", "austen-0870.wav")}
BOX = {"id": "o-2", "kind": "bbox", "labels": ["kopje"],
       "instructions": {"nl": "Teken een kader om het kopje.", "en": "Draw a box around the cup."},
       "image": os.path.join(DEMO, "images", "coffee.jpg")}


def said_line(lines):
    return " | ".join(lines)


def step(orca, keys, expect=None, settle=0.8, typed=None, timeout=10):
    """Presses keys (or types text) and returns what Orca said after them:
    until expect(lines) holds (on a busy machine Orca can lag), then until
    it has been quiet for settle seconds."""
    m = orca.mark()
    if typed is not None:
        type_text(typed)
    for k in keys:
        key(k, 0.15)
    if expect is not None:
        orca.wait_said(m, expect, timeout)
    orca.quiet(settle)
    return orca.since(m)


def has(*words):
    return lambda lines: any(all(w in s for w in words) for s in lines)


def stop_all(orca, app, sd):
    """Orca, the app, then Speech Dispatcher: each stopped even when the one
    before fails to stop."""
    try:
        if orca:
            orca.stop(lambda: key("Escape"))
    finally:
        try:
            if app:
                app.close()
        finally:
            if sd:
                sd.stop()


def count(words, lines):
    """In how many lines Orca said these words."""
    return sum(1 for s in lines if words in s)


def no_type_names(lines):
    return [line for line in lines if "Gtk" in line or "Al" + "Box" in line]


# --- 1. Orca alone: everything a worker hears comes from Orca. ---------------
tmp = os.path.join(home, "walk")
os.makedirs(tmp)
db = make_queue([TRANSCRIBE, BOX], tmp)
# Whatever fails (the app, Orca, a check), what was started is stopped in
# the finally blocks: a speech-dispatcher left over would answer the next
# test's app.
sd = app = orca = None
transcript = []
try:
    sd = SpeechDispatcher(tmp)
    # The work ends 90 s into the session, with a warning 30 s before: both
    # come after the walk below, while the feedback is open.
    app = App("--local", db, "--no-demo", "--plan", "90s/5sx1", "--warn", "30s", "--grace", "0",
              lang="nl")
    app.wait_focused(pyatspi.ROLE_TEXT)
    orca = Orca(tmp)
    # Orca presents the window once it has looked at it: on a busy machine
    # that can take seconds.
    orca.wait_said(0, has("Typ de speelkaart"), 20)
    orca.quiet(1.0)
    first = orca.said()
    transcript += [("(start)", first)]
    tap.ok(any("Uitschrijftaak panel" in s for s in first), f"the task is named: {first}")
    tap.ok(any(s.startswith("Uitgeschreven tekst text") for s in first),
           "the text field is said with its name and role")
    tap.ok("Typ de speelkaart die je hoort." in first,
           "the transcription task's own instructions are said")
    tap.ok(not no_type_names(first), f"no type names ({no_type_names(first)})")

    heard = step(orca, ["ctrl+space"], has("Speelt af"), 0.2)
    transcript.append(("Ctrl+Space", heard))
    tap.ok(count("Speelt af", heard) == 1, f"Ctrl+Space: the player state is said, once: {heard}")
    heard = step(orca, ["ctrl+space"], has("Gepauzeerd"))
    transcript.append(("Ctrl+Space", heard))
    tap.ok(count("Gepauzeerd", heard) == 1, f"Ctrl+Space again: paused is said, once: {heard}")

    heard = step(orca, [], has("s"), typed="ten of clubs")
    transcript.append(("typing 'ten of clubs'", heard))
    tap.ok("t" in heard and "b" in heard, "typed letters are echoed")

    heard = step(orca, ["F1"], has("push button"))
    transcript.append(("F1", heard))
    tap.ok(bool(heard) and not no_type_names(heard), f"F1: the key help is said: {said_line(heard[:4])}")
    heard = step(orca, ["Escape"], has("text"))
    transcript.append(("Escape", heard))
    # Back in the text field: its own name and instructions, not the state.
    tap.ok(any(s.startswith("Uitgeschreven tekst text") for s in heard) and
           "Typ de speelkaart die je hoort." in heard and not has("Gepauzeerd")(heard),
           f"back from F1, the text field is said with its name and instructions: {heard}")

    heard = step(orca, ["F10"], has("F10"))
    transcript.append(("F10", heard))
    heard2 = step(orca, ["Down"], has("(Ctrl+"))
    transcript.append(("Down", heard2))
    menu = heard + heard2
    tap.ok(any(s.startswith("Menu menu") for s in menu), f"the menu is named as a menu: {menu}")
    tap.ok(not no_type_names(menu), f"the menu has no type names: {no_type_names(menu)}")
    # Orca may say the first item already with F10, before Down.
    tap.ok(any(s.endswith(("(Ctrl+I)", "(F1)")) for s in menu), f"a menu item is said with its key: {menu}")
    heard = step(orca, ["Escape", "Escape"], has("push button"))
    transcript.append(("Escape", heard))

    heard = step(orca, ["ctrl+comma"], has(" button"))
    transcript.append(("Ctrl+,", heard))
    tap.ok(any("Instellingen" in s for s in heard), f"the settings are said: {said_line(heard[:4])}")
    tap.ok(any(s.rstrip(".").endswith(("combo box", "check box", "push button", "spin button",
                                       "radio button", "slider", "toggle button"))
               or " combo box" in s or " check box" in s for s in heard),
           "the focused control in the settings is said with its role")
    heard = step(orca, ["Escape"], has("push button"))
    transcript.append(("Escape", heard))

    heard = step(orca, ["ctrl+Return"], has("Teken een kader"), 1.5)
    transcript.append(("Ctrl+Enter", heard))
    tap.ok(any(s.startswith("Bewaard. Over de taak die je net af hebt") for s in heard),
           f"the feedback after submit is said: {said_line(heard[:3])}")
    transcription_task = list(transcript)
    tap.ok(any("Boxtaak panel" in s for s in heard), f"then the box task is named: {heard}")
    tap.ok(any(s.startswith("Foto met boxen image") for s in heard), "the photo is said with its role")
    tap.ok(count("Teken een kader om het kopje.", heard) == 1,
           f"the box task's instructions are said, once: {heard}")
    tap.ok(not no_type_names(heard), f"no type names ({no_type_names(heard)})")

    heard = step(orca, ["n"], has("Box 1 van 1"))
    transcript.append(("N", heard))
    tap.ok(any(s.startswith("Box 1 van 1") for s in heard), f"N: the new box is described: {heard}")
    heard = step(orca, ["Right"], has("41%"))
    transcript.append(("Right", heard))
    tap.ok(any(s.startswith("Box 1 van 1") and "41%" in s for s in heard),
           f"after a move the box's new place is said: {heard}")
    heard = step(orca, ["1"], has("kopje,"))
    transcript.append(("1", heard))
    tap.ok(any("kopje" in s for s in heard), f"the label is said: {heard}")
    # The photo's messages, which annolab's own voice would say: Orca says
    # them, once (with the boxes after them when they changed).
    heard = step(orca, ["ctrl+z"], has("Ongedaan gemaakt."))
    transcript.append(("Ctrl+Z", heard))
    tap.ok(count("Ongedaan gemaakt.", heard) == 1 and has("Box 1 van 1, nog geen label")(heard),
           f"Ctrl+Z: 'Ongedaan gemaakt.' is said once, with the box: {heard}")
    heard = step(orca, ["plus"], has("Zoom 150%"))
    transcript.append(("+", heard))
    tap.ok(count("Zoom 150%", heard) == 1, f"+: the zoom is said once: {heard}")
    heard = step(orca, ["0"], has("De hele foto is in beeld."))
    transcript.append(("0", heard))
    tap.ok(count("De hele foto is in beeld.", heard) == 1, f"0: the whole photo, said once: {heard}")
    heard = step(orca, ["ctrl+z", "ctrl+z", "ctrl+z"], lambda lines: count("niets om ongedaan", lines) >= 1)
    transcript.append(("Ctrl+Z three times", heard))
    tap.ok(count("Er is niets om ongedaan te maken.", heard) == 1,
           f"more Ctrl+Z than changes: 'nothing to undo' is said for the press that had none: {heard}")
    heard = step(orca, ["ctrl+z"], has("Er is niets om ongedaan te maken."))
    transcript.append(("Ctrl+Z", heard))
    tap.ok(count("Er is niets om ongedaan te maken.", heard) == 1,
           f"the same message again is said again, once: {heard}")

    m = orca.mark()
    warned = orca.wait_said(m, lambda lines: any("pauze" in s.lower() or "werktijd" in s.lower()
                                                 for s in lines), 60)
    transcript.append(("(break warning)", orca.since(m)))
    tap.ok(bool(warned), f"the warning before the end of the work is said: {orca.since(m)}")
    m = orca.mark()
    ended = orca.wait_said(m, lambda lines: any("voorbij" in s for s in lines), 60)
    transcript.append(("(end of the session)", orca.since(m)))
    tap.ok(bool(ended), f"the end of the session is said: {orca.since(m)}")
    everything = orca.said()
    tap.ok(not no_type_names(everything), f"no type names anywhere: {no_type_names(everything)[:3]}")
finally:
    print("# What Orca said, step by step (the first steps are one whole transcription task):")
    for what, lines in transcript:
        print(f"# [{what}]")
        for line in lines:
            print(f"#     {line}")
    stop_all(orca, app, sd)

# --- 2. Voice mode with Orca: one voice per announcement. --------------------
tmp = os.path.join(home, "voice")
os.makedirs(tmp)
# An ordinary transcription first (with a gold answer it would be a check
# task, which comes after the ordinary box task at the gold share).
ordinary = {k: v for k, v in TRANSCRIBE.items() if k not in ("training", "gold")}
db = make_queue([dict(ordinary, id="v-1"), dict(BOX, id="v-2")], tmp)
log = os.path.join(tmp, "speech.log")
# Pia works by ear and by eye: her coach allows photo tasks in voice mode.
queue(db, "user", "add", "pia", "--role", "participant")
queue(db, "user", "set", "pia", "voice_images", "true")
sd = app = orca = None
try:
    sd = SpeechDispatcher(tmp)
    # The screen-reader flag is set before annolab starts, as a desktop sets it.
    orca_session.screen_reader_flag(True)
    app = App("--local", db, "--no-demo", "--voice", "--participant", "pia", "--speech-log", log,
              lang="nl", env={"SPEECHD_ADDRESS": "unix_socket:" + sd.socket})
    app.wait_focused(pyatspi.ROLE_TEXT)
    orca = Orca(tmp)
    orca.wait_said(0, has("Typ de speelkaart"), 20)
    orca.quiet(1.0)
    step(orca, [], has("s"), typed="ten of clubs")
    step(orca, ["ctrl+Return"], has("Teken een kader"), 1.5)
    step(orca, ["n"], has("Box 1 van 1"))
    step(orca, ["Right"], has("41%"))
    step(orca, ["1"], has("kopje,"))
    step(orca, ["ctrl+i"], None, 2.0)
    wait_for(lambda: len(log_lines(log)) >= 4, 5)
    messages = sd.messages()
    ours = [t for c, t in messages if ":annolab:" in c]
    orcas = [t for c, t in messages if ":Orca:" in c]
    said = [f[3] for f in log_lines(log)]
    print("# Speech Dispatcher's log, by client:")
    for c, t in messages:
        print(f"#     {c.split(':')[1]}: {t}")
    tap.ok(bool(ours), f"annolab speaks through Speech Dispatcher ({len(ours)} messages)")
    tap.ok(bool(orcas), f"Orca speaks through the same dispatcher ({len(orcas)} messages)")
    missing = [t for t in said if ours.count(" ".join(t.split())) < 1]
    twice = [t for t in set(ours) if ours.count(t) > 1]
    tap.ok(not missing and not twice and len(ours) == len(said),
           f"every annolab announcement exactly once in the dispatcher's log "
           f"(missing {missing}, twice {twice}, {len(ours)} sent, {len(said)} logged)")

    def norm(t):
        return " ".join(t.split()).rstrip(".").lower()
    # The same words from both, or a sentence of annolab's inside Orca's.
    doubled = [t for t in ours if any(norm(t) == norm(o) or (len(norm(t)) > 20 and norm(t) in norm(o))
                                      for o in orcas)]
    tap.ok(not doubled, f"nothing annolab says is said by Orca too: {doubled}")
    # Orca echoes the typing by its own settings; annolab's word echo would
    # be a second voice over it.
    echoed = [t for t in ours if norm(t) in ("ten", "of", "clubs")]
    tap.ok(not echoed and any(t == "t" for t in orcas),
           f"typing is echoed by Orca alone, not by annolab too: {echoed}")
    status = "Er zijn nog geen boxen. Druk op N voor een nieuwe box."
    tap.ok(not any(status in t for t in ours) and any(status in t for t in orcas),
           "the photo's status is said by Orca, not by annolab as well")
    tap.ok(any(t.startswith("Taak 1 vandaag") for t in ours),
           f"annolab says the task number itself: {ours[:2]}")
finally:
    stop_all(orca, app, sd)
    orca_session.screen_reader_flag(False)
tap.done()
