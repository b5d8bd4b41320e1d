#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Voice mode: Ctrl+Enter to the first sound of the next recording, at the
# beginner and the experienced verbosity (bench/voice-latency.py).
# Usage: bench/voice.sh [BUILD_DIR] [TASKS]
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ANNOLAB_BUILD_ROOT:-"$here/build-release"}}
tasks=${2:-20}

command -v xvfb-run >/dev/null || apt-get install -y xvfb xauth >/dev/null
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$here" >/dev/null
fi
ninja -C "$build" app/annolab server/annolab-queue >/dev/null

ANNOLAB_BUILD_ROOT=$build ANNOLAB_SOURCE_ROOT=$here \
  xvfb-run -a -s "-screen 0 1280x800x24 -noreset" dbus-run-session -- \
  /usr/bin/python3 "$here/bench/voice-latency.py" "$tasks" 2>/dev/null
