#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run by check-debs.sh in a mount namespace of its own: installs the
# packages with apt into an overlay over this system, and starts the
# service from its unit's ExecStart line as the unit's user. TAP lines,
# numbered on from $2; the last number goes to $1/count.
set -uo pipefail
top=$1
n=$2
failed=0
root=$top/merged
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n $1"; shift; printf '# %s\n' "$@"; }
in_root () { chroot "$root" "$@"; }
finish () { echo "$n" >"$top/count"; exit "$failed"; }

if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$top/upper,workdir=$top/work" "$root" 2>"$top/mount.log"; then
  echo "ok $((n + 1)) # SKIP no overlay mount here: $(cat "$top/mount.log")"
  n=$((n + 1))
  finish
fi
for d in proc sys dev; do mount --rbind "/$d" "$root/$d"; done
mount -t tmpfs tmpfs "$root/run"
# The build tree is out of sight: what runs here runs from the packages.
mount -t tmpfs tmpfs "$root$(dirname "$top")/src"

export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
if in_root sh -c 'apt-get install -y -q --no-install-recommends /tmp/debs/*.deb' >"$top/apt.log" 2>&1; then
  ok "apt-get install ./*.deb installs the packages and their dependencies"
else
  not_ok "apt-get install ./*.deb installs the packages and their dependencies" "$(tail -n 20 "$top/apt.log")"
  finish
fi

# The user the unit names was made by the package.
unit=/lib/systemd/system/annolab-queue.service
user=$(sed -n 's/^User=//p' "$root$unit")
if [ -n "$user" ] && in_root getent passwd "$user" >/dev/null; then
  ok "the package made the service's user '$user'"
else
  not_ok "the package made the service's user" "User=$user; $(grep -i sysusers "$top/apt.log")"
fi
if [ -L "$root/etc/systemd/system/multi-user.target.wants/annolab-queue.service" ]; then
  ok "the package enabled the service (multi-user.target.wants)"
else
  not_ok "the package enabled the service" "no multi-user.target.wants/annolab-queue.service"
fi
if out=$(in_root systemd-analyze verify "$unit" 2>&1) && [ -z "$out" ]; then
  ok "systemd-analyze verify on the installed unit"
else
  not_ok "systemd-analyze verify on the installed unit" "$out"
fi
if in_root man -w annolab-queue >/dev/null 2>&1; then ok "man annolab-queue finds the page"
else not_ok "man annolab-queue finds the page" "man -w annolab-queue found nothing"; fi

# ExecStart as systemd runs it: specifiers, Environment=, the EnvironmentFile
# (here set to a free port on 127.0.0.1, as an administrator would), ${X} as
# one word and $X split on white space; StateDirectory= made for the user.
sed -i 's/^ANNOLAB_LISTEN=.*/ANNOLAB_LISTEN=127.0.0.1:0/' "$root/etc/annolab/queue.conf"
state=$(sed -n 's/^StateDirectory=//p' "$root$unit")
in_root install -d -m 0700 -o "$user" -g "$user" "/var/lib/$state"
cmd=$(python3 - "$root" "$unit" <<'PY'
import re, shlex, sys
root, unit = sys.argv[1], sys.argv[2]
env, execstart, umask = {}, None, "0022"
def load(lines):
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            env[k.strip()] = v.strip()
for line in open(root + unit):
    key, _, value = line.strip().partition("=")
    if key == "Environment":
        load([value])
    elif key == "EnvironmentFile":
        try:
            load(open(root + value.lstrip("-")))
        except FileNotFoundError:
            if not value.startswith("-"):
                raise
    elif key == "ExecStart":
        execstart = value
    elif key == "UMask":
        umask = value
words = []
for word in shlex.split(execstart.replace("%S", "/var/lib").replace("%%", "%")):
    m = re.fullmatch(r"\$\{(\w+)\}|\$(\w+)", word)
    if m and m.group(1):
        words.append(env.get(m.group(1), ""))
    elif m:
        words.extend(env.get(m.group(2), "").split())
    else:
        words.append(word)
print(umask + " " + shlex.join(words))
PY
)
umask_=${cmd%% *}
cmd=${cmd#* }
echo "# ExecStart as run: $cmd"
# chroot, setpriv and sh each exec the next, so $! is the server itself.
chroot "$root" setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs \
  sh -c "umask $umask_; exec $cmd" >"$top/serve.out" 2>"$top/serve.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
for _ in $(seq 100); do
  grep -q '^listening on' "$top/serve.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$top/serve.out")
if [ -n "$url" ]; then
  ok "annolab-queue starts from the unit's ExecStart line ($url)"
  server_uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
  [ "$(cat "/proc/$pid/comm")" = annolab-queue ] && [ "$server_uid" = "$(in_root id -u "$user")" ] && ok "the server runs as $user (uid $server_uid)" ||
    not_ok "the server runs as $user" "its uid is $server_uid"
  owner=$(in_root stat -c '%U %a' "/var/lib/$state/lab.db" 2>&1)
  [ "$owner" = "$user 600" ] && ok "the database is the user's, mode 600, in the state folder" ||
    not_ok "the database is the user's, mode 600, in the state folder" "$owner"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url/coach")
  [ "$code" = 200 ] && ok "the dashboard answers (GET /coach: 200)" || not_ok "the dashboard answers" "GET /coach: $code"
  kill -TERM "$pid"
  wait "$pid"
  rc=$?
  [ "$rc" -eq 0 ] && ok "SIGTERM stops the server cleanly" || not_ok "SIGTERM stops the server cleanly" "exit $rc; $(cat "$top/serve.err")"
else
  kill "$pid" 2>/dev/null
  not_ok "annolab-queue starts from the unit's ExecStart line" "$cmd" "$(cat "$top/serve.err")"
fi

# The admin commands as the service's user, on the service's database.
token=$(in_root runuser -u "$user" -- annolab-queue --db "/var/lib/$state/lab.db" user add Sam --role participant 2>&1)
[ ${#token} -ge 20 ] && ok "runuser -u $user -- annolab-queue user add prints a token" ||
  not_ok "runuser -u $user -- annolab-queue user add prints a token" "$token"

for p in annolab annolab-score annolab-queue; do
  out=$(in_root env -u DISPLAY -u WAYLAND_DISPLAY LANGUAGE=en "$p" --help 2>&1)
  rc=$?
  case $p in annolab) want=--queue ;; annolab-score) want=coco-eval ;; *) want=serve ;; esac
  [ "$rc" -eq 0 ] && grep -q -- "$want" <<<"$out" && ok "$p --help runs from the installed package" ||
    not_ok "$p --help runs from the installed package" "exit $rc" "$out"
done
out=$(in_root env LANG=nl_NL.UTF-8 LC_ALL=nl_NL.UTF-8 LANGUAGE=nl annolab --help 2>&1)
grep -q 'Programmaopties' <<<"$out" && ok "annolab speaks Dutch from the installed translation" ||
  not_ok "annolab speaks Dutch from the installed translation" "$out"
# The workstation itself, on its demo tasks from /usr/share/annolab/demo
# (./test gives a display; the event log says which task it shows).
if [ -n "${DISPLAY:-}" ]; then
  mkdir -p "$root/tmp/ws"
  # A socket seen through the overlay cannot be connected to: the session
  # bus (and the accessibility bus it starts) are the root's own.
  chroot "$root" env HOME=/tmp/ws XDG_CONFIG_HOME=/tmp/ws/config XDG_DATA_HOME=/tmp/ws/data \
    XDG_RUNTIME_DIR=/tmp/ws GSK_RENDERER=cairo GSETTINGS_BACKEND=memory \
    dbus-run-session -- sh -c 'echo $$ >/tmp/ws/pid; exec annolab --local /tmp/ws/local.db \
      --audio-sink none --event-log /tmp/ws/events.log' >"$top/annolab.log" 2>&1 &
  session=$!
  trap 'kill "$pid" 2>/dev/null; kill "$(cat "$root/tmp/ws/pid" 2>/dev/null)" 2>/dev/null' EXIT
  for _ in $(seq 150); do
    grep -q 'task-shown' "$root/tmp/ws/events.log" 2>/dev/null && break
    kill -0 "$session" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.5
  shown=$(awk -F'\t' '$2 == "task-shown" {print $3}' "$root/tmp/ws/events.log" 2>/dev/null | head -n 1)
  if [ "${shown#demo-}" != "$shown" ] && ! grep -q 'task-broken' "$root/tmp/ws/events.log"; then
    ok "the installed workstation starts and shows demo task $shown"
  else
    not_ok "the installed workstation starts and shows a demo task" \
      "$(cat "$root/tmp/ws/events.log" 2>/dev/null)" "$(tail -n 20 "$top/annolab.log")"
  fi
  kill "$(cat "$root/tmp/ws/pid")" 2>/dev/null
  wait "$session" 2>/dev/null
else
  n=$((n + 1))
  echo "ok $n # SKIP no display for the workstation (./test gives one)"
fi
finish
