#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Box tasks: submit to the next photo shown (demo photos and a 4000 × 3000
# photo, already on disk and in the page cache), and the canvas redraw time
# with 100 boxes on a 4000 × 3000 photo, with the cairo renderer the
# workstation uses on lab PCs.
# Usage: bench/boxes.sh [BUILD_DIR] [TASKS]
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ANNOLAB_BUILD_ROOT:-"$here/build-release"}}
tasks=${2:-30}

command -v convert >/dev/null || apt-get install -y imagemagick >/dev/null
command -v xvfb-run >/dev/null || apt-get install -y xvfb xauth >/dev/null
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$here" >/dev/null
fi
ninja -C "$build" app/annolab server/annolab-queue bench/box-redraw >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A real photo scaled up to 12 megapixels, as a phone camera makes them.
convert "$here/data/demo/images/motorcycle_left.jpg" -resize '4000x3000!' -quality 90 "$tmp/big.jpg"

xvfb-run -a -s "-screen 0 1280x800x24 -noreset" env GSK_RENDERER=cairo GDK_DEBUG=gl-disable \
  "$build/bench/box-redraw" "$here/data/demo/images/motorcycle_left.jpg" 100 200
ANNOLAB_BUILD_ROOT=$build ANNOLAB_SOURCE_ROOT=$here \
  xvfb-run -a -s "-screen 0 1280x800x24 -noreset" dbus-run-session -- \
  /usr/bin/python3 "$here/bench/boxes.py" "$tasks" "$tmp/big.jpg" 2>/dev/null
