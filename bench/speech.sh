#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Speech latency: key press to first audio at the sink, and key press to
# silence of the previous utterance, over 100 presses per sink.
# Usage: bench/speech.sh [BUILD_DIR] [PRESSES]
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ANNOLAB_BUILD_ROOT:-"$here/build-release"}}
presses=${2:-100}

if ! command -v espeak-ng >/dev/null || ! pkg-config --exists espeak-ng gstreamer-app-1.0; then
  apt-get install -y libespeak-ng-dev espeak-ng libgstreamer-plugins-base1.0-dev \
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good >/dev/null
fi
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$here" >/dev/null
fi
ninja -C "$build" bench/speech-latency >/dev/null

# The human-readable tables go to stderr; bench/run reads the figures
# (tab-separated, against the 20 ms aim) from stdout.
for sink in none auto; do
  "$build/bench/speech-latency" "$sink" "$presses" | tee /dev/stderr | awk -v sink="$sink" '
    /^\(a\)/ { printf "speech: key press to first audio at the sink (%s), median\t%s\tms\taim\t20\n", sink, $(NF-2)
                printf "speech: key press to first audio at the sink (%s), p95\t%s\tms\taim\t20\n", sink, $(NF-1) }
    /rendered/ { printf "speech: key press to first audio rendered (%s), median\t%s\tms\taim\t20\n", sink, $(NF-2) }
    /^\(b\)/ { printf "speech: key press to silence of the old utterance (%s), median\t%s\tms\taim\t20\n", sink, $(NF-2)
                printf "speech: key press to silence of the old utterance (%s), p95\t%s\tms\taim\t20\n", sink, $(NF-1) }'
  echo >&2
done
