# SPDX-License-Identifier: GPL-3.0-or-later
"""A real screen reader over the workstation: Speech Dispatcher and Orca 43,
started and stopped by the test itself.

private_session() must run before pyatspi is imported: it gives the test a
private HOME and XDG folders and re-runs the script inside its own
dbus-run-session, so that dconf (Orca's settings, the screen-reader flag)
writes there and never into the tester's own settings.

SpeechDispatcher runs `speech-dispatcher -s` on a private socket with its own
configuration: eSpeak NG through libao's null driver (it "plays" at CPU
speed), log level 5, so its log holds every message with the client name of
who sent it. Orca runs under `script` so that its debug output comes line by
line through a pty; every `SPEECH OUTPUT: '...'` line is what a blind worker
hears.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

MARK = "ANNOLAB_PRIVATE_SESSION"


def private_session(needs=("orca", "speech-dispatcher", "script")):
    """Re-run this script in a private D-Bus session with a private HOME."""
    if not os.environ.get("DISPLAY"):
        print("1..0 # SKIP needs Xvfb; run through ./test")
        sys.exit(77)
    missing = [p for p in ("dbus-run-session", *needs) if shutil.which(p) is None]
    if missing:
        print(f"1..0 # SKIP missing {' '.join(missing)} (./test installs them)")
        sys.exit(77)
    if os.environ.get(MARK):
        # The accessibility bus of this private session, for the test, the
        # app and Orca alike: otherwise libatspi takes the AT_SPI_BUS
        # property that an earlier test's bus left on the X root window.
        r = subprocess.run(["gdbus", "call", "--session", "--dest", "org.a11y.Bus",
                            "--object-path", "/org/a11y/bus", "--method", "org.a11y.Bus.GetAddress"],
                           capture_output=True, text=True)
        m = re.search(r"'([^']+)'", r.stdout)
        if m:
            os.environ["AT_SPI_BUS_ADDRESS"] = m.group(1)
        # The test's output again (see below).
        fd = int(os.environ.get(MARK + "_FD", "-1"))
        if fd >= 0:
            sys.stdout.flush()
            os.dup2(fd, 1)
            os.close(fd)
            os.environ.pop(MARK + "_FD")
        return os.environ[MARK]
    home = tempfile.mkdtemp(prefix="annolab-orca-")
    env = dict(os.environ)
    runtime = os.path.join(home, "run")
    for d in ("config", "data", "cache", "run"):
        os.makedirs(os.path.join(home, d), mode=0o700)
    env.update({MARK: home, "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, "config"),
                "XDG_DATA_HOME": os.path.join(home, "data"),
                "XDG_CACHE_HOME": os.path.join(home, "cache"), "XDG_RUNTIME_DIR": runtime})
    # Orca and the accessibility bus read the real settings store (dconf).
    env.pop("GSETTINGS_BACKEND", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.pop("AT_SPI_BUS_ADDRESS", None)
    # Services the private bus starts (the accessibility registry) write to
    # their standard output: that goes to stderr, so the test's own output
    # (TAP) stays clean; the test gets its stdout back through this fd.
    tap = os.dup(1)
    env[MARK + "_FD"] = str(tap)
    r = subprocess.run(["dbus-run-session", "--", sys.executable, *sys.argv], env=env,
                       stdout=sys.stderr, pass_fds=(tap,))
    os.close(tap)
    shutil.rmtree(home, ignore_errors=True)
    sys.exit(r.returncode)


def screen_reader_flag(on):
    """The desktop's screen-reader setting, which the accessibility bus
    mirrors as org.a11y.Status.ScreenReaderEnabled."""
    subprocess.run(["gsettings", "set", "org.gnome.desktop.a11y.applications",
                    "screen-reader-enabled", "true" if on else "false"], check=False)


def orca_alive():
    """Whether a process named orca runs, as the workstation looks for one."""
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "orca":
                    return True
        except (OSError, ValueError):
            continue
    return False


def wait_for(fn, timeout=10, interval=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = fn()
        if value:
            return value
        time.sleep(interval)
    return fn()


SPEECHD_CONF = """\
LogLevel 5
LogDir "{logdir}"
DefaultVolume 100
DefaultRate 0
DefaultLanguage "{language}"
AudioOutputMethod "{audio}"
AudioPulseServer "default"
AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"
DefaultModule espeak-ng
"""


class SpeechDispatcher:
    """speech-dispatcher on a private socket; clients find it by SPEECHD_ADDRESS,
    which is set in this process's environment (children inherit it)."""

    def __init__(self, folder, language="nl", audio="libao"):
        self.folder = folder
        conf = os.path.join(folder, "speechd-conf")
        os.makedirs(os.path.join(conf, "modules"), exist_ok=True)
        self.logdir = os.path.join(folder, "speechd-log")
        os.makedirs(self.logdir, exist_ok=True)
        with open(os.path.join(conf, "speechd.conf"), "w") as f:
            f.write(SPEECHD_CONF.format(logdir=self.logdir, language=language, audio=audio))
        module = "/etc/speech-dispatcher/modules/espeak-ng.conf"
        if os.path.exists(module):
            shutil.copy(module, os.path.join(conf, "modules", "espeak-ng.conf"))
        # libao's null driver: eSpeak NG renders, nothing is played.
        with open(os.path.join(os.environ["HOME"], ".libao"), "w") as f:
            f.write("default_driver=null\n")
        self.socket = os.path.join(folder, "speechd.sock")
        self.proc = subprocess.Popen(
            ["speech-dispatcher", "-s", "-t", "0", "-C", conf, "-S", self.socket,
             "-c", "unix_socket", "-L", self.logdir, "-l", "5"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "speechd.err"), "w"))
        os.environ["SPEECHD_ADDRESS"] = "unix_socket:" + self.socket
        if not wait_for(lambda: os.path.exists(self.socket) or self.proc.poll() is not None, 10) \
                or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("speech-dispatcher did not start: " + self.errors())

    def errors(self):
        try:
            return open(os.path.join(self.folder, "speechd.err")).read()[-2000:]
        except OSError:
            return ""

    def log(self):
        try:
            with open(os.path.join(self.logdir, "speech-dispatcher.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def messages(self):
        """(client name, text) of every message, in the order received.

        At log level 5 each line a client sends is logged as FD:DATA:|LINE;
        SET self CLIENT_NAME ties the connection to its client
        ('unknown:annolab:voice', 'unknown:Orca:default')."""
        names, out, receiving = {}, [], {}
        for line in self.log().splitlines():
            m = re.search(r"\b(\d+):DATA:\|(.*)$", line)
            if not m:
                continue
            fd, data = m.group(1), m.group(2).rstrip("\r")
            if fd in receiving:
                if data == ".":
                    text = re.sub(r"<[^>]+>", "", " ".join(receiving.pop(fd)))
                    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                    out.append((names.get(fd, "?"), " ".join(text.split())))
                else:
                    receiving[fd].append(data[1:] if data.startswith("..") else data)
                continue
            if data.upper().startswith("SET SELF CLIENT_NAME "):
                names[fd] = data.split(None, 3)[3]
            elif data.upper() == "SPEAK":
                receiving[fd] = []
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Orca:
    """Orca 43 with its debug output; said() is what it spoke, line by line."""

    def __init__(self, folder, timeout=30):
        self.folder = folder
        prefs = os.path.join(folder, "orca-prefs")
        os.makedirs(prefs, exist_ok=True)
        screen_reader_flag(True)
        self.transcript = os.path.join(folder, "orca.out")
        cmd = f"orca --replace -u {prefs} --debug-file=/dev/tty"
        self.proc = subprocess.Popen(["script", "-qfec", cmd, self.transcript],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        if not wait_for(lambda: "Screen reader on." in " ".join(self.said()) or
                        self.proc.poll() is not None, timeout) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("Orca did not start:\n" + self.raw()[-3000:])

    def raw(self):
        try:
            with open(self.transcript, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def said(self):
        """Every SPEECH OUTPUT line, in order."""
        out = []
        for line in self.raw().splitlines():
            m = (re.search(r"SPEECH OUTPUT: '(.*?)'\s*\{'established", line) or
                 re.search(r"SPEECH OUTPUT: '(.*)'", line))
            if m:
                out.append(m.group(1).strip())
        return out

    def mark(self):
        return len(self.said())

    def since(self, mark):
        return self.said()[mark:]

    def wait_said(self, mark, fn, timeout=10):
        """Waits until fn(lines said since mark) is true; returns those lines."""
        got = wait_for(lambda: fn(self.since(mark)), timeout)
        return self.since(mark) if got else None

    def quiet(self, settle=0.6, timeout=8):
        """Waits until Orca has said nothing new for settle seconds."""
        end = time.monotonic() + timeout
        n, last = self.mark(), time.monotonic()
        while time.monotonic() < end:
            time.sleep(0.05)
            m = self.mark()
            if m != n:
                n, last = m, time.monotonic()
            elif time.monotonic() - last >= settle:
                return True
        return False

    def stop(self, poke=None):
        """SIGTERM; Orca handles it at its next AT-SPI event (poke makes one)."""
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if poke:
            poke()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        # script(1) can end before Orca under it does; an Orca still alive
        # would count as a screen reader for the next test's workstation.
        if not wait_for(lambda: not orca_alive(), 5):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            wait_for(lambda: not orca_alive(), 5)
