// bench_zmq: events/s per core and latency of PUSH -> sluice -> PULL, next to raw libzmq
// PUSH -> PULL on the same machine (the ceiling). Each figure is the median of --runs runs.
//
// usage: bench_zmq [--sluice PATH] [--runs 5] [--count 2000000] [--rate 10000]
//                  [--latency-count 30000]

#include "bench/zmq/bench_peers.hpp"
#include "bench/zmq/sluice_child.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sluice::bench;

namespace {

struct Settings {
    std::string sluice = SLUICE_DEFAULT_BIN;
    int runs = 5;
    std::uint64_t count = 2'000'000;
    double rate = 10'000;
    std::uint64_t latency_count = 30'000;
};

struct RunFigures {
    double raw_rate = 0;
    double raw_p50_us = 0, raw_p99_us = 0;
    double sluice_rate = 0;
    double sluice_per_core = 0;
    double sluice_cpu_s = 0;
    double sluice_per_loop_core = 0;
    double sluice_p50_us = 0, sluice_p99_us = 0;
};

Settings parse(int argc, char** argv) {
    Settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        const char* value = argv[i + 1];
        if (key == "--sluice") {
            s.sluice = value;
        } else if (key == "--runs") {
            s.runs = std::atoi(value);
        } else if (key == "--count") {
            s.count = std::strtoull(value, nullptr, 10);
        } else if (key == "--rate") {
            s.rate = std::atof(value);
        } else if (key == "--latency-count") {
            s.latency_count = std::strtoull(value, nullptr, 10);
        } else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            std::exit(2);
        }
    }
    return s;
}

double percentile_us(std::vector<std::int64_t> values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return static_cast<double>(values[index]) / 1000.0;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

std::string endpoint(int port) {
    return "tcp://127.0.0.1:" + std::to_string(port);
}

/// The pipeline under test: decode json, a filter every reading passes, encode json.
std::string pipeline_yaml(int in_port, int out_port) {
    return "version: 1\n"
           "daemon:\n  log_level: warn\n  status_socket: bench-zmq-" +
           std::to_string(in_port) +
           ".sock\n"
           "sources:\n  in:\n    type: zmq\n    socket: pull\n    bind: " +
           endpoint(in_port) +
           "\n    hwm: 10000\n"
           "stages:\n  plausible:\n    type: filter\n    inputs: [in]\n"
           "    condition: temp > -50 && temp < 150\n"
           "sinks:\n  out:\n    type: zmq\n    inputs: [plausible]\n    socket: push\n"
           "    bind: " +
           endpoint(out_port) + "\n    hwm: 10000\n";
}

/// Throws (so that the sluice child is stopped on the way out) when messages went missing.
void check_complete(const FlowResult& result, std::uint64_t expected, const char* what) {
    if (result.received != expected) {
        throw std::runtime_error(std::string(what) + ": received " +
                                 std::to_string(result.received) + " of " +
                                 std::to_string(expected));
    }
}

void measure_raw(const Settings& s, RunFigures& f) {
    auto target = endpoint(free_tcp_port());
    auto flow = run_flow({target, target, true, s.count, 0, false});
    check_complete(flow, s.count, "raw throughput");
    f.raw_rate = flow.rate();
    target = endpoint(free_tcp_port());
    auto paced = run_flow({target, target, true, s.latency_count, s.rate, true});
    check_complete(paced, s.latency_count, "raw latency");
    f.raw_p50_us = percentile_us(paced.latencies_ns, 0.50);
    f.raw_p99_us = percentile_us(paced.latencies_ns, 0.99);
}

void measure_sluice(const Settings& s, RunFigures& f) {
    int in_port = free_tcp_port();
    int out_port = free_tcp_port();
    SluiceChild sluice(s.sluice, pipeline_yaml(in_port, out_port));
    // Warm-up: connections are up and sluice has reached its working size.
    auto warm = run_flow({endpoint(in_port), endpoint(out_port), false, 20'000, 0, false});
    check_complete(warm, 20'000, "warm-up");
    auto cpu_before = sluice.cpu_seconds();
    auto loop_before = sluice.loop_cpu_seconds();
    auto flow = run_flow({endpoint(in_port), endpoint(out_port), false, s.count, 0, false});
    auto cpu_after = sluice.cpu_seconds();
    auto loop_after = sluice.loop_cpu_seconds();
    check_complete(flow, s.count, "sluice throughput");
    f.sluice_rate = flow.rate();
    f.sluice_cpu_s = cpu_after - cpu_before;
    f.sluice_per_core = static_cast<double>(flow.received) / f.sluice_cpu_s;
    f.sluice_per_loop_core = static_cast<double>(flow.received) / (loop_after - loop_before);
    auto paced =
        run_flow({endpoint(in_port), endpoint(out_port), false, s.latency_count, s.rate, true});
    check_complete(paced, s.latency_count, "sluice latency");
    f.sluice_p50_us = percentile_us(paced.latencies_ns, 0.50);
    f.sluice_p99_us = percentile_us(paced.latencies_ns, 0.99);
}

} // namespace

int main(int argc, char** argv) {
    auto settings = parse(argc, argv);
    std::vector<RunFigures> runs;
    for (int i = 0; i < settings.runs; ++i) {
        RunFigures f;
        try {
            measure_raw(settings, f);
            measure_sluice(settings, f);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "run %d failed: %s\n", i + 1, e.what());
            return 1;
        }
        std::printf("run %d: raw %.0f ev/s (p50 %.0f us, p99 %.0f us); sluice %.0f ev/s wall, "
                    "%.2f s CPU, %.0f ev/s per core, %.0f per loop-thread core (p50 %.0f us, "
                    "p99 %.0f us)\n",
                    i + 1, f.raw_rate, f.raw_p50_us, f.raw_p99_us, f.sluice_rate, f.sluice_cpu_s,
                    f.sluice_per_core, f.sluice_per_loop_core, f.sluice_p50_us, f.sluice_p99_us);
        std::fflush(stdout);
        runs.push_back(f);
    }
    auto med = [&](double RunFigures::*field) {
        std::vector<double> values;
        for (const auto& r : runs) {
            values.push_back(r.*field);
        }
        return median(values);
    };
    std::printf("\nmedians of %d runs, %llu events per throughput run, latency at %.0f events/s:\n",
                settings.runs, static_cast<unsigned long long>(settings.count), settings.rate);
    std::printf("| path | events/s (wall) | events per CPU-second of sluice (all threads) | "
                "per CPU-second of its loop thread | p50 latency | p99 latency |\n"
                "|---|---|---|---|---|---|\n");
    std::printf("| raw libzmq PUSH -> PULL | %.0f | - | - | %.0f us | %.0f us |\n",
                med(&RunFigures::raw_rate), med(&RunFigures::raw_p50_us),
                med(&RunFigures::raw_p99_us));
    std::printf("| PUSH -> sluice -> PULL | %.0f | %.0f | %.0f | %.0f us | %.0f us |\n",
                med(&RunFigures::sluice_rate), med(&RunFigures::sluice_per_core),
                med(&RunFigures::sluice_per_loop_core), med(&RunFigures::sluice_p50_us),
                med(&RunFigures::sluice_p99_us));
    std::printf("sluice / raw (wall): %.0f%%\n",
                100.0 * med(&RunFigures::sluice_rate) / med(&RunFigures::raw_rate));
    return 0;
}
