#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian packages from a clean copy of the tree (the tracked
# files and new ones not ignored, never build folders), then checks them:
# lintian, the files each package holds, Depends against the libraries its
# programs load, the desktop entry, AppStream, the man pages, the systemd
# unit and its exposure, and (as root, where a mount namespace can be made)
# an apt install into a throwaway root with the service started from its
# unit's ExecStart line as its user. TAP output.
set -uo pipefail
src=${ANNOLAB_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/annolab-debs.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n $1"; shift; printf '# %s\n' "$@"; }
check () { # check NAME COMMAND...: ok when the command succeeds, else its output
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "${out:-exit status $?}"; fi
}
finish () { echo "1..$n"; exit "$failed"; }

# The build.
mkdir -p "$work/src"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
    tar --null -T - -cf - 2>/dev/null) | tar -xf - -C "$work/src"
else # an unpacked tarball: everything but build folders
  tar -C "$src" --exclude='./build*' --exclude='./obj-*' --exclude='./debian/.debhelper' \
    -cf - . | tar -xf - -C "$work/src"
fi
start=$(date +%s)
if (cd "$work/src" && DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=2" \
    dpkg-buildpackage -b -us -uc -Pnocheck >"$work/build.log" 2>&1); then
  ok "dpkg-buildpackage -b -us -uc builds the packages ($(($(date +%s) - start)) s)"
else
  not_ok "dpkg-buildpackage -b -us -uc builds the packages" "$(tail -n 30 "$work/build.log")"
  finish
fi
version=$(cd "$work/src" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
declare -A deb=(
  [annolab]=$work/annolab_${version}_$arch.deb
  [annolab-queue]=$work/annolab-queue_${version}_$arch.deb
  [annolab-score]=$work/annolab-score_${version}_$arch.deb
  [annolab-common]=$work/annolab-common_${version}_all.deb
)
for p in "${!deb[@]}"; do
  [ -f "${deb[$p]}" ] || { not_ok "package $p was built" "no ${deb[$p]}"; finish; }
done

# lintian: errors fail, every other tag is listed.
lintian --pedantic --display-info --no-tag-display-limit "$work/annolab_${version}_$arch.changes" \
  >"$work/lintian.log" 2>&1
sed -n 's/^\([EWIPX]\): /# lintian \1: /p' "$work/lintian.log"
if grep -q '^E: ' "$work/lintian.log"; then
  not_ok "lintian reports no errors" "$(grep '^E: ' "$work/lintian.log")"
else
  ok "lintian reports no errors ($(grep -c '^W: ' "$work/lintian.log") warnings)"
fi

# What each package holds.
contents () { # contents PACKAGE PATH...
  local p=$1 list missing=()
  shift
  list=$(dpkg-deb -c "${deb[$p]}" | awk '{print substr($6, 2)}')
  for f in "$@"; do grep -qx "$f" <<<"$list" || missing+=("$f"); done
  if [ ${#missing[@]} -eq 0 ]; then ok "$p holds $*"; else not_ok "$p holds its files" "missing: ${missing[*]}"; fi
}
contents annolab /usr/bin/annolab /usr/share/man/man1/annolab.1.gz \
  /usr/share/applications/nl.annolab.Workstation.desktop \
  /usr/share/metainfo/nl.annolab.Workstation.metainfo.xml \
  /usr/share/icons/hicolor/scalable/apps/nl.annolab.Workstation.svg \
  /usr/share/icons/hicolor/symbolic/apps/nl.annolab.Workstation-symbolic.svg \
  /usr/share/annolab/demo/tasks.jsonl /usr/share/annolab/demo/reference.trn
contents annolab-queue /usr/bin/annolab-queue /usr/share/man/man1/annolab-queue.1.gz \
  /lib/systemd/system/annolab-queue.service /usr/lib/sysusers.d/annolab-queue.conf \
  /etc/annolab/queue.conf
contents annolab-score /usr/bin/annolab-score /usr/share/man/man1/annolab-score.1.gz
contents annolab-common /usr/share/locale/nl/LC_MESSAGES/annolab.mo
check "queue.conf is a conffile of annolab-queue" \
  sh -c "dpkg-deb -I '${deb[annolab-queue]}' conffiles | grep -qx /etc/annolab/queue.conf"
check "annolab-queue makes its user with systemd-sysusers" \
  sh -c "dpkg-deb -I '${deb[annolab-queue]}' postinst | grep -q 'systemd-sysusers'"

# Depends: every library a program loads comes from a package it depends on.
for p in annolab annolab-queue annolab-score; do
  mkdir -p "$work/x/$p"
  dpkg-deb -x "${deb[$p]}" "$work/x/$p"
  depends=$(dpkg-deb -f "${deb[$p]}" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/ //g')
  lacking=()
  for lib in $(objdump -p "$work/x/$p/usr/bin/$p" | awk '/NEEDED/ {print $2}'); do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|libc6,/ {print $NF; exit}')
    owner=$( (dpkg -S "$path" || dpkg -S "/usr$path" || dpkg -S "${path#/usr}") 2>/dev/null |
      head -n 1 | cut -d: -f1)
    grep -qx "${owner:-?}" <<<"$depends" || lacking+=("$lib (${owner:-no package found})")
  done
  if [ ${#lacking[@]} -eq 0 ]; then
    ok "$p depends on the package of every library it loads"
  else
    not_ok "$p depends on the package of every library it loads" "not in Depends: ${lacking[*]}"
  fi
done
for p in annolab annolab-queue; do
  check "$p depends on annolab-common of the same version (the Dutch feedback)" \
    sh -c "dpkg-deb -f '${deb[$p]}' Depends | grep -q 'annolab-common (= $version)'"
done

# The desktop entry, AppStream and the man pages as packaged.
x=$work/x
check "desktop-file-validate" desktop-file-validate "$x/annolab/usr/share/applications/nl.annolab.Workstation.desktop"
check "appstreamcli validate --no-net" appstreamcli validate --no-net \
  "$x/annolab/usr/share/metainfo/nl.annolab.Workstation.metainfo.xml"
for p in annolab annolab-queue annolab-score; do
  page=$x/$p/usr/share/man/man1/$p.1.gz
  check "man -l renders $p.1 without a warning" sh -c \
    "out=\$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l '$page' 2>&1 >/dev/null); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
done
unit=$x/annolab-queue/lib/systemd/system/annolab-queue.service
security=$(systemd-analyze security --offline=true --threshold=20 "$unit" 2>&1 | tail -n 1)
exposure=$(grep -o 'level for [^:]*: [0-9.]*' <<<"$security" | awk '{print $NF}')
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
  ok "systemd-analyze security: exposure $exposure (at most 2.0)"
else
  not_ok "systemd-analyze security: exposure at most 2.0" "$security"
fi

check "the service restarts by itself when it fails, and is enabled for multi-user.target" \
  sh -c "grep -qx 'Restart=on-failure' '$unit' && grep -qx 'WantedBy=multi-user.target' '$unit'"

# An apt install into a throwaway root: an overlay over this system in a
# mount namespace of its own, so nothing here changes.
if [ "$(id -u)" -ne 0 ]; then
  echo "ok $((n + 1)) # SKIP the install into a throwaway root needs root"
  n=$((n + 1))
  finish
fi
mkdir -p "$work/root/upper/tmp/debs" "$work/root/work" "$work/root/merged"
cp "${deb[@]}" "$work/root/upper/tmp/debs/"
if ! unshare --mount --propagation private true 2>/dev/null; then
  echo "ok $((n + 1)) # SKIP no mount namespace can be made here"
  n=$((n + 1))
  finish
fi
unshare --mount --propagation private "$here/install-check.sh" "$work/root" "$n"
rc=$?
n=$(cat "$work/root/count" 2>/dev/null || echo "$n")
[ "$rc" -eq 0 ] || failed=1
finish
