#!/usr/bin/env python3
"""Runs sluice's benchmark scenarios several times and prints medians with min and max.

Each run starts a fresh daemon (and the sink counter, load generator or reference it needs),
measures, and stops it. CPU time, peak RSS and wake-ups of the daemon come from /proc.
See docs/benchmarks.md for what each scenario does. Standard library only.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import bench_proc as proc

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIOS = ["tcp", "tcp_pass", "reference", "zmq", "zmq_raw", "udp", "serial", "idle"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build-dir", default=None, help="build tree (default: build-bench, build)")
    p.add_argument("--runs", type=int, default=5, help="runs per scenario (default 5)")
    p.add_argument("--scenarios", default=",".join(SCENARIOS),
                   help="comma-separated subset of: " + ", ".join(SCENARIOS))
    p.add_argument("--events", type=int, default=2_000_000,
                   help="events per throughput run (default 2,000,000)")
    p.add_argument("--rate", type=int, default=10_000,
                   help="offered load of the latency runs, events/s (default 10,000)")
    p.add_argument("--latency-seconds", type=float, default=3.0,
                   help="length of each latency run (default 3 s)")
    p.add_argument("--serial-count", type=int, default=1000,
                   help="commands timed per serial run (default 1000)")
    p.add_argument("--idle-seconds", type=float, default=60.0,
                   help="length of the idle measurement (default 60 s)")
    p.add_argument("--out", default=None, help="write every run and the summary as JSON here")
    p.add_argument("--chart", default=None, help="draw events/s and p99 latency into this PNG")
    p.add_argument("--daemon-prefix", default="",
                   help="command the daemon (and the reference) runs under, for profiling: "
                        "'perf record -g -o perf.data' or 'valgrind --tool=callgrind'")
    p.add_argument("--replot", default=None, metavar="RESULTS_JSON",
                   help="only draw --chart from the results a previous run wrote with --out")
    p.add_argument("--smoke", action="store_true",
                   help="every scenario once at tiny size; exit 1 if any errors (for CI)")
    args = p.parse_args()
    if args.smoke:
        args.runs = 1
        args.events = 20_000
        args.latency_seconds = 0.2
        args.serial_count = 20
        args.idle_seconds = 1.0
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in args.scenarios if s not in SCENARIOS]
    if unknown:
        p.error("unknown scenario(s): " + ", ".join(unknown))
    return args


def find_build_dir(given):
    candidates = [given] if given else [os.path.join(ROOT, "build-bench"), os.path.join(ROOT, "build")]
    for candidate in candidates:
        if os.path.exists(os.path.join(candidate, "daemon", "sluice")):
            return os.path.abspath(candidate)
    sys.exit("run.py: no sluice binary under " + " or ".join(candidates) +
             "; build first, e.g. cmake -S . -B build-bench -G Ninja && ninja -C build-bench")


class Bench:
    """The binaries, the settings, and one scratch directory per run."""

    def __init__(self, args, build_dir):
        self.args = args
        self.prefix = args.daemon_prefix.split()  # for the reference too, to profile it alike
        self.sluice = self.prefix + [os.path.join(build_dir, "daemon", "sluice")]
        self.tools = os.path.join(build_dir, "bench")

    def tool(self, name):
        return os.path.join(self.tools, "bench_" + name)

    def config(self, name):
        return os.path.join(HERE, "configs", name)


def phase(work, name):
    """A directory of its own for each daemon a run starts (config files, output, logs)."""
    path = os.path.join(work, name)
    os.makedirs(path)
    return path


# One function per scenario: each returns a dict of metrics for one run, or raises.

def run_tcp(bench, work):
    """Scenario 1 through sluice: throughput, then latency at a fixed rate, two daemons."""
    result = tcp_throughput(bench, work, config="tcp_rule.yaml")
    result.update(tcp_latency(bench, work, config="tcp_rule.yaml"))
    return result


def run_tcp_pass(bench, work):
    """Scenario 1's events decoded and encoded again with no stages: the event model's floor."""
    result = tcp_throughput(bench, work, config="tcp_pass.yaml")
    result.update(tcp_latency(bench, work, config="tcp_pass.yaml"))
    return result


def run_reference(bench, work):
    result = tcp_throughput(bench, work, config=None)
    result.update(tcp_latency(bench, work, config=None))
    return result


def start_tcp_target(bench, work, config, in_port, out_port):
    """sluice with the configuration `config` names, or the hand-written reference when None."""
    if config:
        return proc.Daemon.start(bench.sluice, bench.config(config), work,
                                 {"BENCH_IN_PORT": in_port, "BENCH_OUT_PORT": out_port})
    return proc.Process.start(
        bench.prefix + [bench.tool("reference"), "--listen-port", str(in_port),
                        "--sink-port", str(out_port)],
        work, "reference", wait_port=in_port)


def tcp_throughput(bench, work, config):
    work = phase(work, "throughput")
    n = bench.args.events
    in_port, out_port = proc.free_ports(2)
    counter = proc.counter(bench.tool("sink_counter"), work,
                           ["--transport", "tcp", "--port", str(out_port), "--expect", str(n)])
    target = start_tcp_target(bench, work, config, in_port, out_port)
    try:
        idle_rss = target.rss_kib()
        cpu0 = target.cpu_seconds()
        gen = proc.run_tool([bench.tool("loadgen"), "--transport", "tcp", "--port", str(in_port),
                             "--count", str(n)], work, "loadgen")
        got = counter.result()
        cpu = target.cpu_seconds() - cpu0
        peak = target.hwm_kib()
    finally:
        target.stop()
    return throughput_metrics(n, gen, got, cpu, peak, idle_rss)


def throughput_metrics(n, gen, got, cpu, peak_kib, idle_rss_kib=None):
    if got["events"] != n:
        raise RuntimeError("sent %d events, %d arrived" % (n, got["events"]))
    seconds = (got["last_us"] - gen["start_us"]) / 1e6
    metrics = {
        "events_per_s": n / seconds,
        "cpu_s": cpu,
        "events_per_cpu_s": n / cpu if cpu > 0 else None,
        "peak_rss_mib": peak_kib / 1024,
    }
    if idle_rss_kib is not None:
        metrics["start_rss_mib"] = idle_rss_kib / 1024
    return metrics


def latency_count(bench):
    return max(100, int(bench.args.rate * bench.args.latency_seconds))


def latency_metrics(got, n):
    if got["events"] != n:
        raise RuntimeError("sent %d events at a fixed rate, %d arrived" % (n, got["events"]))
    return {"p50_us": got["p50_us"], "p99_us": got["p99_us"], "p999_us": got["p999_us"],
            "max_us": got["max_us"]}


def tcp_latency(bench, work, config):
    work = phase(work, "latency")
    n = latency_count(bench)
    in_port, out_port = proc.free_ports(2)
    counter = proc.counter(bench.tool("sink_counter"), work,
                           ["--transport", "tcp", "--port", str(out_port), "--expect", str(n),
                            "--latency"])
    target = start_tcp_target(bench, work, config, in_port, out_port)
    try:
        proc.run_tool([bench.tool("loadgen"), "--transport", "tcp", "--port", str(in_port),
                       "--count", str(n), "--rate", str(bench.args.rate)], work, "loadgen")
        got = counter.result()
    finally:
        target.stop()
    return latency_metrics(got, n)


def zmq_pair(bench, work, n, rate, latency, daemon):
    """loadgen PUSH -> [sluice] -> counter PULL; without the daemon, PUSH straight to PULL."""
    work = phase(work, "latency" if latency else "throughput")
    in_port, other_port = proc.free_ports(2)
    out_port = other_port if daemon else in_port
    extra = ["--latency"] if latency else []
    counter = proc.counter(bench.tool("sink_counter"), work,
                           ["--transport", "zmq", "--endpoint", "tcp://127.0.0.1:%d" % out_port,
                            "--expect", str(n)] + extra)
    target = None
    if daemon:
        target = proc.Daemon.start(bench.sluice, bench.config("zmq_rule.yaml"), work,
                                   {"BENCH_IN_PORT": in_port, "BENCH_OUT_PORT": out_port})
    try:
        cpu0 = target.cpu_seconds() if target else 0
        gen_args = [bench.tool("loadgen"), "--transport", "zmq", "--endpoint",
                    "tcp://127.0.0.1:%d" % in_port, "--count", str(n)]
        if rate:
            gen_args += ["--rate", str(rate)]
        gen = proc.run_tool(gen_args, work, "loadgen")
        got = counter.result()
        cpu = target.cpu_seconds() - cpu0 if target else 0
        peak = target.hwm_kib() if target else 0
    finally:
        if target:
            target.stop()
    return gen, got, cpu, peak


def run_zmq(bench, work):
    n = bench.args.events
    gen, got, cpu, peak = zmq_pair(bench, work, n, 0, False, daemon=True)
    result = throughput_metrics(n, gen, got, cpu, peak)
    m = latency_count(bench)
    _, got, _, _ = zmq_pair(bench, work, m, bench.args.rate, True, daemon=True)
    result.update(latency_metrics(got, m))
    return result


def run_zmq_raw(bench, work):
    n = bench.args.events
    gen, got, _, _ = zmq_pair(bench, work, n, 0, False, daemon=False)
    if got["events"] != n:
        raise RuntimeError("sent %d messages, %d arrived" % (n, got["events"]))
    result = {"events_per_s": n / ((got["last_us"] - gen["start_us"]) / 1e6)}
    m = latency_count(bench)
    _, got, _, _ = zmq_pair(bench, work, m, bench.args.rate, True, daemon=False)
    result.update(latency_metrics(got, m))
    return result


def udp_run(bench, work, n, rate, window, latency):
    """loadgen -> UDP influx -> sluice window -> file, read back by the counter."""
    work = phase(work, "latency" if latency else "throughput")
    in_port = proc.free_port()
    extra = ["--latency"] if latency else []
    counter = proc.counter(bench.tool("sink_counter"), work,
                           ["--transport", "file", "--path", os.path.join(work, "averages.jsonl"),
                            "--expect", str(n), "--idle-ms", "2000"] + extra)
    target = proc.Daemon.start(bench.sluice, bench.config("udp_window.yaml"), work,
                               {"BENCH_IN_PORT": in_port, "BENCH_WINDOW": window})
    try:
        cpu0 = target.cpu_seconds()
        gen_args = [bench.tool("loadgen"), "--transport", "udp", "--port", str(in_port),
                    "--format", "influx", "--count", str(n)]
        if rate:
            gen_args += ["--rate", str(rate)]
        gen = proc.run_tool(gen_args, work, "loadgen")
        got = counter.result(allow_short=True)
        cpu = target.cpu_seconds() - cpu0
        peak = target.hwm_kib()
    finally:
        target.stop()
    return gen, got, cpu, peak


def run_udp(bench, work):
    """Throughput counts what arrived: UDP drops what the receiver cannot take (reported)."""
    n = bench.args.events
    gen, got, cpu, peak = udp_run(bench, work, n, 0, "10ms", False)
    received = got["events"]
    if received == 0:
        raise RuntimeError("no window result arrived")
    # The last window closes up to one window (10 ms) after its last reading arrived.
    seconds = (got["last_us"] - gen["start_us"]) / 1e6 - 0.010
    result = {"events_per_s": received / seconds, "cpu_s": cpu,
              "events_per_cpu_s": received / cpu if cpu > 0 else None,
              "peak_rss_mib": peak / 1024, "loss_pct": 100.0 * (n - received) / n}
    m = latency_count(bench)
    _, got, _, _ = udp_run(bench, work, m, bench.args.rate, "100ms", True)
    # UDP may drop on a busy machine; the smoke test only asks that the scenario works.
    if got["events"] < (1 if bench.args.smoke else m * 0.99):
        raise RuntimeError("at %d events/s, %d of %d readings were counted" %
                           (bench.args.rate, got["events"], m))
    result.update({"p50_us": got["p50_us"], "p99_us": got["p99_us"],
                   "p999_us": got["p999_us"], "max_us": got["max_us"]})
    return result


def run_serial(bench, work):
    rtt = proc.SerialRtt.start(bench.tool("serial_rtt"), work, bench.args.serial_count)
    target = proc.Daemon.start(bench.sluice, bench.config("serial_rule.yaml"), work,
                               {"BENCH_SENSOR_TTY": rtt.sensor, "BENCH_ACTUATOR_TTY": rtt.actuator},
                               wait_ready=False)
    try:
        got = rtt.result()
    finally:
        target.stop()
    return {"p50_us": got["p50_us"], "p99_us": got["p99_us"], "p999_us": got["p999_us"],
            "max_us": got["max_us"]}


def run_idle(bench, work):
    target = proc.Daemon.start(bench.sluice, bench.config("idle.yaml"), work,
                               dict(zip(("BENCH_IN_PORT", "BENCH_OUT_PORT"), proc.free_ports(2))))
    try:
        time.sleep(min(1.0, bench.args.idle_seconds))  # let start-up settle
        cpu0, wake0 = target.cpu_seconds(), target.wakeups()
        start = time.monotonic()
        time.sleep(bench.args.idle_seconds)
        seconds = time.monotonic() - start
        cpu, wakes = target.cpu_seconds() - cpu0, target.wakeups() - wake0
        rss, peak = target.rss_kib(), target.hwm_kib()
        anon, pss = target.anon_kib(), target.pss_kib()
    finally:
        target.stop()
    return {"cpu_s": cpu, "wakeups_per_s": wakes / seconds, "rss_mib": rss / 1024,
            "anon_mib": anon / 1024, "pss_mib": pss / 1024, "peak_rss_mib": peak / 1024}


RUNNERS = {"tcp": run_tcp, "tcp_pass": run_tcp_pass, "reference": run_reference,
           "zmq": run_zmq, "zmq_raw": run_zmq_raw, "udp": run_udp, "serial": run_serial,
           "idle": run_idle}


def run_scenario(bench, name):
    runs, errors = [], []
    for i in range(bench.args.runs):
        work = tempfile.mkdtemp(prefix="sluice-bench-%s-" % name)
        try:
            runs.append(RUNNERS[name](bench, work))
            if bench.args.daemon_prefix:
                print("  %s run %d: profiler output kept in %s" % (name, i + 1, work),
                      file=sys.stderr)
            else:
                shutil.rmtree(work, ignore_errors=True)
        except Exception as e:  # a failed run is reported, and its files are kept
            errors.append("run %d: %s (files in %s)" % (i + 1, e, work))
            print("  %s run %d failed: %s (files in %s)" % (name, i + 1, e, work), file=sys.stderr)
    return runs, errors


def main():
    args = parse_args()
    if args.replot:
        with open(args.replot) as f:
            proc.chart(json.load(f)["results"], args.chart or "benchmarks.png",
                       os.path.join(HERE, "chart.gp"))
        return 0
    bench = Bench(args, find_build_dir(args.build_dir))
    print(proc.machine_line(), flush=True)
    results, failed = {}, []
    for name in args.scenarios:
        print("%s: %d run(s)..." % (name, args.runs), file=sys.stderr, flush=True)
        load_before = os.getloadavg()[0]
        runs, errors = run_scenario(bench, name)
        results[name] = {"runs": runs, "errors": errors, "summary": proc.summarise(runs),
                         "load_before": load_before, "load_after": os.getloadavg()[0]}
        if errors:
            failed.append(name)
    print(proc.table(results))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"machine": proc.machine_info(), "args": vars(args), "results": results},
                      f, indent=1)
    if args.chart and not args.smoke:
        proc.chart(results, args.chart, os.path.join(HERE, "chart.gp"))
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
