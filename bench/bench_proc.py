"""Processes of a benchmark run and what /proc says about them; summaries, table and chart."""

import glob
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import time

TIMEOUT_S = 300


def free_port():
    """A TCP/UDP port nobody uses right now (the kernel's pick)."""
    return free_ports(1)[0]


def free_ports(count):
    """`count` different ports nobody uses right now: each socket stays bound until all are
    picked, so the kernel cannot hand out the same port twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def listening(port):
    """Whether something listens on 127.0.0.1:port or *:port, read from /proc (no connect)."""
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
                        return True
        except FileNotFoundError:
            pass
    return False


def wait_until(condition, what, timeout=10.0, process=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None:
            raise RuntimeError("%s: the process exited (%d) first" % (what, process.returncode))
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.01)


def last_json_line(text, what):
    lines = [line for line in text.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError("%s printed no result" % what)
    return json.loads(lines[-1])


def run_tool(argv, work, name):
    """Runs a tool to the end; returns its JSON result line."""
    with open(os.path.join(work, name + ".err"), "w") as err:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=err, text=True,
                              timeout=TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (name, done.returncode, tail(work, name + ".err")))
    return last_json_line(done.stdout, name)


def tail(work, name, lines=5):
    try:
        with open(os.path.join(work, name)) as f:
            return " | ".join(f.read().splitlines()[-lines:])
    except FileNotFoundError:
        return ""


class Process:
    """A child process whose CPU time, RSS and wake-ups are read from /proc."""

    def __init__(self, popen, work, name):
        self.popen, self.work, self.name = popen, work, name

    @classmethod
    def start(cls, argv, work, name, wait_port=None, env=None, stdout=subprocess.PIPE):
        err = open(os.path.join(work, name + ".err"), "w")
        popen = subprocess.Popen(argv, cwd=work, env=env, stdout=stdout, stderr=err, text=True)
        err.close()
        process = cls(popen, work, name)
        if wait_port is not None:
            wait_until(lambda: listening(wait_port), "%s to listen on %d" % (name, wait_port),
                       process=popen)
        return process

    def _tasks(self, file):
        values = []
        for path in glob.glob("/proc/%d/task/*/%s" % (self.popen.pid, file)):
            try:
                with open(path) as f:
                    values.append(f.read().split())
            except (FileNotFoundError, ProcessLookupError):
                pass  # a thread that just ended
        return values

    def cpu_seconds(self):
        """User + system time of every thread, from schedstat (ns) rather than clock ticks."""
        return sum(int(v[0]) for v in self._tasks("schedstat")) / 1e9

    def wakeups(self):
        """Times any thread was put on a CPU: each is a wake-up from sleep or a preemption."""
        return sum(int(v[2]) for v in self._tasks("schedstat"))

    def _status_kib(self, key):
        with open("/proc/%d/status" % self.popen.pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        raise RuntimeError("no %s in /proc/%d/status" % (key, self.popen.pid))

    def rss_kib(self):
        return self._status_kib("VmRSS")

    def hwm_kib(self):
        return self._status_kib("VmHWM")

    def anon_kib(self):
        """Resident memory of the process's own (anonymous) pages, without shared libraries."""
        return self._status_kib("RssAnon")

    def pss_kib(self):
        """Proportional set size: shared library pages divided among the processes mapping them."""
        with open("/proc/%d/smaps_rollup" % self.popen.pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        raise RuntimeError("no Pss in /proc/%d/smaps_rollup" % self.popen.pid)

    def result(self, allow_short=False):
        """Waits for the end; returns the JSON result line (exit 2 = fewer events than expected)."""
        try:
            out, _ = self.popen.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise RuntimeError("%s did not finish in %d s" % (self.name, TIMEOUT_S))
        ok = (0, 2) if allow_short else (0,)
        if self.popen.returncode not in ok:
            got = last_json_line(out, self.name) if "{" in out else {}
            raise RuntimeError("%s exited %d %s %s" % (self.name, self.popen.returncode, got,
                                                       tail(self.work, self.name + ".err")))
        return last_json_line(out, self.name)

    def stop(self):
        """SIGTERM, and the process must exit 0 (the daemon: drained and flushed) in time."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise RuntimeError("%s did not stop within 30 s of SIGTERM" % self.name)
        if self.popen.returncode != 0:
            raise RuntimeError("%s exited %d: %s" % (self.name, self.popen.returncode,
                                                    tail(self.work, self.name + ".err")))


def counter(tool, work, args):
    """Starts bench_sink_counter and waits until it listens, when it listens on TCP."""
    process = Process.start([tool] + args, work, "counter")
    if "--port" in args:
        port = int(args[args.index("--port") + 1])
        wait_until(lambda: listening(port), "the counter to listen", process=process.popen)
    elif "--endpoint" in args:
        port = int(args[args.index("--endpoint") + 1].rsplit(":", 1)[1])
        wait_until(lambda: listening(port), "the counter to bind", process=process.popen)
    return process


class Daemon(Process):
    """`sluice run` with a config from bench/configs, its ${VAR}s filled from the environment.
    `sluice` is an argv prefix: the binary, perhaps behind a profiler."""

    @classmethod
    def start(cls, sluice, config, work, variables, wait_ready=True):
        env = dict(os.environ, BENCH_DIR=work)
        env.update({k: str(v) for k, v in variables.items()})
        daemon = super().start(sluice + ["run", "-c", config], work, "sluice", env=env,
                               stdout=subprocess.DEVNULL)
        if wait_ready:
            try:
                wait_until(daemon.ready, "sluice to start its sources", timeout=60,
                           process=daemon.popen)
            except RuntimeError as e:
                daemon.popen.kill()
                daemon.popen.wait()
                raise RuntimeError("%s: %s" % (e, tail(work, "sluice.err")))
        return daemon

    def ready(self):
        status = self.status()
        return status is not None and all(
            c["state"] == "running" for c in status["components"] if c["kind"] == "source")

    def status(self):
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(2)
                s.connect(os.path.join(self.work, "status.sock"))
                s.sendall(b'{"cmd":"status"}\n')
                data = b""
                while not data.endswith(b"\n"):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            return json.loads(data)
        except (OSError, ValueError):
            return None


class SerialRtt(Process):
    """bench_serial_rtt, once it has printed the two pty paths."""

    @classmethod
    def start(cls, tool, work, count):
        process = super().start([tool, "--count", str(count)], work, "serial_rtt")
        paths = json.loads(process.popen.stdout.readline())
        process.sensor, process.actuator = paths["sensor"], paths["actuator"]
        return process


def summarise(runs):
    """Median, min and max of each metric over the runs."""
    keys = []
    for run in runs:
        keys += [k for k in run if k not in keys]
    summary = {}
    for key in keys:
        values = [run[key] for run in runs if run.get(key) is not None]
        if values:
            summary[key] = {"median": statistics.median(values), "min": min(values),
                            "max": max(values), "n": len(values)}
    return summary


COLUMNS = [("events_per_s", "events/s", 1), ("events_per_cpu_s", "events/CPU-s", 1),
           ("peak_rss_mib", "peak RSS MiB", 0.1), ("p50_us", "p50 µs", 1),
           ("p99_us", "p99 µs", 1), ("p999_us", "p99.9 µs", 1)]
EXTRAS = [("start_rss_mib", "RSS at start MiB", 0.1), ("loss_pct", "UDP loss %", 0.1),
          ("cpu_s", "CPU s", 0.001), ("wakeups_per_s", "wake-ups/s", 0.01),
          ("rss_mib", "RSS MiB", 0.1), ("anon_mib", "anonymous RSS MiB", 0.1),
          ("pss_mib", "PSS MiB", 0.1)]


def fmt(value, step):
    if step >= 1:
        return "{:,}".format(int(round(value)))
    digits = len(str(step).split(".")[1])
    return "%.*f" % (digits, value)


def cell(summary, key, step):
    if key not in summary:
        return "—"
    s = summary[key]
    if s["n"] == 1:
        return fmt(s["median"], step)
    return "%s (%s–%s)" % (fmt(s["median"], step), fmt(s["min"], step), fmt(s["max"], step))


def table(results):
    """A Markdown table: median (min–max) of each metric, per scenario."""
    head = "| scenario | runs | " + " | ".join(label for _, label, _ in COLUMNS) + " | other |"
    lines = [head, "|" + " --- |" * (len(COLUMNS) + 3)]
    for name, result in results.items():
        summary = result["summary"]
        other = ["%s %s" % (label, cell(summary, key, step))
                 for key, label, step in EXTRAS if key in summary]
        runs = "%d" % len(result["runs"]) + (" (%d failed)" % len(result["errors"])
                                              if result["errors"] else "")
        lines.append("| %s | %s | %s | %s |" % (
            name, runs, " | ".join(cell(summary, k, step) for k, _, step in COLUMNS),
            "; ".join(other)))
    return "\n".join(lines)


def first_line(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def machine_info():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "compiler": first_line(["c++", "--version"]),
            "loadavg": os.getloadavg()[0]}


def machine_line():
    m = machine_info()
    return "machine: %d cores, %s, Linux %s, %s; load average %.2f" % (
        m["nproc"], m["cpu"], m["kernel"], m["compiler"], m["loadavg"])


CHART_METRICS = ("events_per_s", "events_per_cpu_s", "p99_us")


def chart(results, png, script):
    """Draws events/s, events per CPU-second and p99 latency per scenario with gnuplot."""
    if not shutil.which("gnuplot"):
        print("chart: gnuplot not found; install it with `sudo apt-get install gnuplot-nox` "
              "and run again with --chart " + png)
        return
    data = png + ".dat"
    with open(data, "w") as f:
        f.write("# scenario, then median min max of: " + " ".join(CHART_METRICS) + "\n")
        for name, result in results.items():
            s = result["summary"]
            if not any(key in s for key in CHART_METRICS):
                continue
            row = [name]
            for key in CHART_METRICS:
                if key in s:
                    row += ["%g" % s[key][x] for x in ("median", "min", "max")]
                else:
                    row += ["NaN"] * 3
            f.write(" ".join(row) + "\n")
    subprocess.run(["gnuplot", "-e", "datafile='%s'; outfile='%s'" % (data, png), script],
                   check=True)
    os.remove(data)
    print("chart: wrote " + png)
