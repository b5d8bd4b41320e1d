# SPDX-License-Identifier: GPL-3.0-or-later
"""A real sound server for tests and benchmarks: PulseAudio with a null sink,
and a recorder on its monitor.

The null sink "mix" is stereo; two mono sinks are mapped onto it: "speech"
on the left channel, "task" (the default sink) on the right. Streams that
say they are speech (media.role=a11y, as annolab's speech does) go to
"speech" (module-intended-roles), everything else to "task". One recording
of mix.monitor then holds both, sample-aligned: left is what was said,
right is the task recording.

The recorder reads parec's raw output as it comes and stamps each piece
with time.monotonic() (CLOCK_MONOTONIC, the clock of g_get_monotonic_time),
so a sample's index maps to the time it reached the monitor.
"""
import bisect
import os
import shutil
import subprocess
import threading
import time
from array import array

RATE = 48000


def available():
    return all(shutil.which(p) for p in ("pulseaudio", "pactl", "parec"))


class PulseAudio:
    def __init__(self, folder):
        self.folder = folder
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if not runtime or not os.path.isdir(runtime):
            runtime = os.path.join(folder, "run")
            os.makedirs(runtime, mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = runtime
        env = dict(os.environ, PULSE_RUNTIME_PATH=os.path.join(runtime, "pulse"))
        os.environ["PULSE_RUNTIME_PATH"] = env["PULSE_RUNTIME_PATH"]
        # No user configuration: the null sinks only, nothing remembered.
        os.environ["PULSE_STATE_PATH"] = env["PULSE_STATE_PATH"] = os.path.join(folder, "pulse-state")
        self.log = os.path.join(folder, "pulseaudio.log")
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
             "--use-pid-file=no", "--system=no", f"--log-target=file:{self.log}",
             "-L", f"module-null-sink sink_name=mix rate={RATE} channels=2 channel_map=front-left,front-right",
             "-L", "module-remap-sink sink_name=speech master=mix channels=1 channel_map=mono "
                   "master_channel_map=front-left remix=no sink_properties=device.intended_roles=a11y",
             "-L", "module-remap-sink sink_name=task master=mix channels=1 channel_map=mono "
                   "master_channel_map=front-right remix=no",
             "-L", "module-intended-roles",
             "-L", "module-native-protocol-unix"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 15
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("pulseaudio exited: " + self.errors())
            if subprocess.run(["pactl", "info"], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("pulseaudio did not answer: " + self.errors())
        subprocess.run(["pactl", "set-default-sink", "task"], check=True, capture_output=True)

    def errors(self):
        try:
            return open(self.log).read()[-2000:]
        except OSError:
            return ""

    def sink_inputs(self):
        """(sink name, media.role, application name) of each playing stream."""
        sinks = {}
        for line in subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True,
                                   text=True).stdout.splitlines():
            f = line.split("\t")
            sinks[f[0]] = f[1]
        out, cur = [], None
        for line in subprocess.run(["pactl", "list", "sink-inputs"], capture_output=True,
                                   text=True).stdout.splitlines():
            line = line.strip()
            if line.startswith("Sink Input #"):
                cur = {"sink": None, "role": None, "app": None}
                out.append(cur)
            elif cur is not None and line.startswith("Sink:"):
                cur["sink"] = sinks.get(line.split()[1])
            elif cur is not None and line.startswith("media.role ="):
                cur["role"] = line.split("=", 1)[1].strip().strip('"')
            elif cur is not None and line.startswith("application.name ="):
                cur["app"] = line.split("=", 1)[1].strip().strip('"')
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Recorder:
    """parec on mix.monitor: two channels of 16-bit samples at RATE."""

    def __init__(self, device="mix.monitor"):
        self.left = array("h")
        self.right = array("h")
        self.t0 = None  # monotonic time of sample 0
        self.anchors = []  # (samples so far, arrival time - their duration)
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            ["parec", "-d", device, "--raw", "--format=s16le", f"--rate={RATE}", "--channels=2",
             "--latency-msec=2", "--process-time-msec=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        end = time.monotonic() + 5
        while self.t0 is None and time.monotonic() < end:
            time.sleep(0.01)
        if self.t0 is None:
            self.stop()
            raise RuntimeError("parec recorded nothing")

    def _read(self):
        pending = b""
        n = 0
        while True:
            data = self.proc.stdout.read(4096)
            now = time.monotonic()
            if not data:
                return
            pending += data
            whole = len(pending) // 4 * 4
            frames = array("h")
            frames.frombytes(pending[:whole])
            pending = pending[whole:]
            with self.lock:
                self.left.extend(frames[0::2])
                self.right.extend(frames[1::2])
                n += len(frames) // 2
                # The last sample of this piece came at the latest now.
                self.anchors.append((n, now - n / RATE))
                start = now - n / RATE
                if self.t0 is None or start < self.t0:
                    self.t0 = start

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.thread.join(2)

    def _offset(self, i):
        """Time of sample 0 as seen around sample i: the earliest estimate
        within half a second. Local, so that samples the recorder lost on a
        busy machine (a jump in the estimates) do not shift later times."""
        if not hasattr(self, "_keys") or len(self._keys) != len(self.anchors):
            self._keys = [a[0] for a in self.anchors]
        lo = bisect.bisect_left(self._keys, i - RATE // 2)
        hi = bisect.bisect_right(self._keys, i + RATE // 2)
        near = [a[1] for a in self.anchors[lo:hi]]
        return min(near) if near else self.t0

    def index(self, t):
        i = max(0, int(round((t - self.t0) * RATE)))
        for _ in range(2):
            i = max(0, int(round((t - self._offset(i)) * RATE)))
        return i

    def time(self, i):
        return self._offset(i) + i / RATE


def envelope(samples, window_ms=2):
    """Peak absolute value per window (a list)."""
    w = max(1, RATE * window_ms // 1000)
    return [max(map(abs, samples[i:i + w])) if samples[i:i + w] else 0
            for i in range(0, len(samples), w)], w


class Track:
    """One channel, reduced to 2 ms windows, with onset and silence search."""

    def __init__(self, rec, channel, threshold=300, window_ms=2):
        with rec.lock:
            samples = rec.left if channel == "left" else rec.right
            samples = samples[:]
        self.rec = rec
        self.env, self.w = envelope(samples, window_ms)
        self.threshold = threshold  # about -40 dBFS

    def t(self, k):
        return self.rec.time(k * self.w)

    def k(self, t):
        return self.rec.index(t) // self.w

    def loud(self, k):
        return 0 <= k < len(self.env) and self.env[k] > self.threshold

    def first_sound(self, t_from, t_to):
        """Time of the first window above the threshold in [t_from, t_to)."""
        for k in range(self.k(t_from), min(self.k(t_to), len(self.env))):
            if self.loud(k):
                return self.t(k)
        return None

    def silence_from(self, t_from, hold_ms=60):
        """Time from which the channel stays quiet for hold_ms."""
        hold = max(1, hold_ms * RATE // 1000 // self.w)
        k = self.k(t_from)
        quiet = 0
        while k < len(self.env):
            if self.loud(k):
                quiet = 0
            else:
                quiet += 1
                if quiet >= hold:
                    return self.t(k - hold + 1)
            k += 1
        return None


def overlap_ms(speech, task):
    """Milliseconds in which both channels are above their thresholds."""
    n = min(len(speech.env), len(task.env))
    both = sum(1 for k in range(n) if speech.env[k] > speech.threshold and task.env[k] > task.threshold)
    return both * speech.w * 1000 / RATE


def overlap_runs(speech, task, gap_ms=20):
    """(start time, milliseconds) of each stretch in which both sound, for
    saying where an overlap was."""
    n = min(len(speech.env), len(task.env))
    gap = max(1, gap_ms * RATE // 1000 // speech.w)
    runs, start, last = [], None, None
    for k in range(n):
        if speech.env[k] > speech.threshold and task.env[k] > task.threshold:
            if start is None or k - last > gap:
                if start is not None:
                    runs.append((speech.t(start), (last - start + 1) * speech.w * 1000 / RATE))
                start = k
            last = k
    if start is not None:
        runs.append((speech.t(start), (last - start + 1) * speech.w * 1000 / RATE))
    return runs


def loud_ms(track):
    return sum(1 for v in track.env if v > track.threshold) * track.w * 1000 / RATE


def quiet_for(rec, ms, channel="left", threshold=300):
    """True when the last ms of the recording are below the threshold."""
    n = RATE * ms // 1000
    with rec.lock:
        samples = (rec.left if channel == "left" else rec.right)[-n:]
    return len(samples) >= n and max(map(abs, samples), default=0) <= threshold


def wait_quiet(rec, ms=250, timeout=15, channel="left"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if quiet_for(rec, ms, channel):
            return True
        time.sleep(0.02)
    return False
