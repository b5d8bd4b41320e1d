# shellcheck shell=bash
# Shared by ./run, ./test and bench/run: the Debian packages annolab needs,
# an installer that only acts when something is missing, and the build step.

# To compile and link.
ANNOLAB_BUILD_PACKAGES="meson ninja-build pkg-config gcc gettext libglib2.0-dev libglib2.0-bin
  libgtk-4-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libespeak-ng-dev
  libcurl4-openssl-dev libjansson-dev libsqlite3-dev libpq-dev libmicrohttpd-dev libspeechd-dev
  libpocketsphinx-dev libsphinxbase-dev"
# To run the workstation: decoders, scaletempo, voices; for annolab-queue
# pre-annotate: PocketSphinx's English model, OpenCV's face cascades and
# GStreamer's facedetect.
ANNOLAB_RUN_PACKAGES="gstreamer1.0-plugins-base gstreamer1.0-plugins-good espeak-ng espeak-ng-data
  pocketsphinx-en-us opencv-data gstreamer1.0-opencv"
# To test for real: a display, the accessibility bus, a screen reader and
# Speech Dispatcher, a sound server, sclite, a browser, PostgreSQL 15,
# sanitizers and fuzzers, valgrind, sound measurement, Node.js for the browser test;
# to build and check the Debian packages: debhelper, lintian, the validators
# of the desktop entry, AppStream and the unit, man.
ANNOLAB_TEST_PACKAGES="xvfb xauth dbus dbus-x11 at-spi2-core python3 python3-pyatspi xdotool
  imagemagick sox gstreamer1.0-tools sctk chromium clang libclang-rt-14-dev valgrind
  sqlite3 curl openssl pocketsphinx-testdata postgresql-15
  orca speech-dispatcher speech-dispatcher-espeak-ng dconf-cli
  pulseaudio pulseaudio-utils gstreamer1.0-pulseaudio
  dpkg-dev debhelper fakeroot git lintian desktop-file-utils appstream systemd man-db"

annolab_missing () {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

annolab_install () {
  local missing sudo=()
  missing=$(annolab_missing "$@")
  [ -z "$missing" ] && return 0
  # A machine without Debian's package manager must bring these itself.
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "annolab: these packages are missing and apt-get is not available: $missing" >&2
    return 1
  fi
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "annolab: installing $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Node.js may come from the machine rather than from Debian; only npm matters.
annolab_install_npm () {
  command -v npm >/dev/null 2>&1 && return 0
  annolab_install nodejs npm
}

# The Dutch locale, so a test can run the workstation as a Dutch lab PC
# does (decimal comma and all).
annolab_dutch_locale () {
  local sudo=()
  locale -a 2>/dev/null | grep -qix 'nl_NL.utf8' && return 0
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  annolab_install locales
  "${sudo[@]}" localedef -i nl_NL -f UTF-8 nl_NL.UTF-8
}

# annolab_build DIR [meson options]: configure once, then build. Options
# given also apply to a build folder made before (meson configure).
annolab_build () {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null || { meson setup "$dir" "$@"; return 1; }
  elif [ $# -gt 0 ]; then
    meson configure "$dir" "$@" >/dev/null || { meson configure "$dir" "$@"; return 1; }
  fi
  ninja -C "$dir" >/dev/null || ninja -C "$dir"
}
