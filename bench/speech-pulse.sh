#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Speech through a real sound server (PulseAudio, null sink), measured in the
# recording of its monitor: key press in the real window (xdotool) to first
# speech sample and to silence of the cut utterance (100 rounds), and speech
# over the task recording in 20 tasks of voice mode.
# Usage: bench/speech-pulse.sh [BUILD_DIR] [PRESSES] [TASKS]
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ANNOLAB_BUILD_ROOT:-"$here/build-release"}}
presses=${2:-100}
tasks=${3:-20}
. "$here/build-aux/packages.sh"
annolab_install pulseaudio pulseaudio-utils gstreamer1.0-pulseaudio xdotool
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$here" >/dev/null
fi
ninja -C "$build" app/annolab server/annolab-queue >/dev/null

export ANNOLAB_BUILD_ROOT="$build" ANNOLAB_SOURCE_ROOT="$here"
xvfb-run -a -s "-screen 0 1280x800x24 -noreset" /usr/bin/python3 "$here/bench/speech-pulse.py" "$presses"
xvfb-run -a -s "-screen 0 1280x800x24 -noreset" /usr/bin/python3 "$here/bench/voice-overlap.py" "$tasks"
