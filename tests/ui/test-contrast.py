#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""High contrast: Ctrl+Shift+H turns it on (the window turns black, white
and yellow), the choice is kept in settings.ini and holds after a restart,
the menu shows it as a tick, and without an own choice annolab follows
the desktop's HighContrast theme."""
import os
import subprocess
import tempfile

import pyatspi

from annolab_ui import DEMO, App, Tap, key, make_queue, skip_unless_desktop, wait_until

skip_unless_desktop()
tap = Tap()


def darkness(tmp):
    """How dark the window is, 0 (white) to 1 (black), from a screenshot:
    under Xvfb without a window manager the window sits at 0,0."""
    shot = os.path.join(tmp, "shot.png")
    subprocess.run(["import", "-window", "root", "-crop", "1000x700+0+0", shot], check=True)
    out = subprocess.run(["convert", shot, "-colorspace", "gray", "-format", "%[fx:mean]", "info:"],
                         capture_output=True, text=True, check=True).stdout
    return 1 - float(out)


def dark_soon(tmp, want, timeout=5):
    return wait_until(lambda: (darkness(tmp) > 0.8) == want, timeout, 0.3)


def setting(path):
    if not os.path.exists(path):
        return None
    for line in open(path):
        if line.startswith("high-contrast="):
            return line.strip().split("=", 1)[1]
    return None


tmp = tempfile.mkdtemp(prefix="annolab-contrast-")
db = make_queue([{"id": f"s{i}", "kind": "transcribe", "language": "en",
                  "audio": os.path.join(DEMO, "audio", "cards-001.wav")} for i in range(2)], tmp)
config = os.path.join(tmp, "config")
ini = os.path.join(config, "annolab", "settings.ini")
env = {"XDG_CONFIG_HOME": config, "GTK_THEME": "Default"}

app = App("--local", db, "--no-demo", env=env)
try:
    app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(dark_soon(tmp, False), f"the standard look is light ({darkness(tmp):.2f})")
    key("ctrl+shift+H")
    tap.ok(app.find(contains="High contrast on.", timeout=5) is not None, "Ctrl+Shift+H says so")
    tap.ok(dark_soon(tmp, True), f"and the window turns dark ({darkness(tmp):.2f})")
    tap.ok(wait_until(lambda: setting(ini) == "on", 3), f"settings.ini keeps it: {setting(ini)}")
finally:
    app.close()

app = App("--local", db, "--no-demo", env=env)
try:
    app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(dark_soon(tmp, True), f"after a restart it is still on ({darkness(tmp):.2f})")
    key("F10")
    item = app.find(name="High contrast (Ctrl+Shift+H)", timeout=5)
    checked = item is not None and item.getState().contains(pyatspi.STATE_CHECKED)
    tap.ok(item is not None and item.getRole() in (pyatspi.ROLE_CHECK_MENU_ITEM,
                                                   pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_BOX),
           f"the menu has it: {item.getRoleName() if item else None}")
    tap.ok(checked, "ticked")
    tap.ok(app.find(name="Settings (Ctrl+,)", timeout=2) is not None,
           "and the settings next to it")
    key("Escape")
    key("ctrl+shift+H")
    tap.ok(dark_soon(tmp, False), f"Ctrl+Shift+H turns it off again ({darkness(tmp):.2f})")
    tap.ok(wait_until(lambda: setting(ini) == "off", 3), f"settings.ini: {setting(ini)}")
finally:
    app.close()

# No own choice: follow the desktop's theme.
os.remove(ini)
app = App("--local", db, "--no-demo", env={"XDG_CONFIG_HOME": config, "GTK_THEME": "HighContrast"})
try:
    app.wait_focused(pyatspi.ROLE_TEXT)
    tap.ok(dark_soon(tmp, True), f"with the desktop's HighContrast theme it is on "
           f"({darkness(tmp):.2f})")
finally:
    app.close()
tap.done()
