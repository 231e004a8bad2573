// Measures stage chains on the steady path: ns/event, events/s and heap allocations per event,
// through the real Graph (source -> stages -> counting sink), in batches of 256.

#include "bench/stages/alloc_counter.hpp"
#include "bench/support/clock.hpp"
#include "pipeline/graph.hpp"
#include "pipeline/stages/testing/stage_harness.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace sluice;

namespace {

constexpr std::size_t kBatch = 256;
constexpr std::size_t kPool = 8192;
constexpr int kSensors = 100;
/// 256 ms of pipeline time: long enough for windows and buffers to reach their steady size.
constexpr std::size_t kWarmUpBatches = 256;

struct CountingSink : SinkPort {
    std::uint64_t events = 0;
    void accept(std::span<Event> batch) override { events += batch.size(); }
};

/// Readings from kSensors sensors: a random walk of temperatures around 60 (in °C), so the
/// rule below sees both edges now and then; one in 64 readings reports a fault.
std::vector<Event> make_pool() {
    std::mt19937_64 rng(42);
    std::vector<double> temp(kSensors, 60);
    std::vector<std::string> names;
    for (int s = 0; s < kSensors; ++s) {
        names.push_back("sensor-" + std::to_string(s));
    }
    std::vector<Event> pool;
    for (std::size_t i = 0; i < kPool; ++i) {
        auto s = static_cast<std::size_t>(rng() % kSensors);
        temp[s] = std::clamp(temp[s] + static_cast<double>(rng() % 21) / 10.0 - 1.0, 40.0, 80.0);
        pool.push_back(testing::make_event({{"sensor", std::string_view(names[s])},
                                            {"temp", temp[s]},
                                            {"status", rng() % 64 ? "ok" : "fault"},
                                            {"seq", static_cast<long>(i)}},
                                           static_cast<Nanos>(i)));
    }
    return pool;
}

struct Result {
    double ns_per_event;
    std::uint64_t allocations; // during the timed events, after the warm-up
    std::uint64_t delivered;
};

/// Pushes `events` events through a graph of the given stages (in a line) and times the
/// steady state: one warm-up pass first lets every reused buffer reach its final size.
Result run_chain(const std::vector<const char*>& configs, const std::vector<Event>& pool,
                 std::size_t events, bool refill_only) {
    Graph graph;
    CountingSink sink;
    auto source = graph.add_source("src");
    auto last = source;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        auto id = graph.add_stage("s" + std::to_string(i), testing::build_stage(configs[i]));
        graph.connect(last, 0, id);
        last = id;
    }
    graph.connect(last, 0, graph.add_sink("sink", &sink));
    graph.finish();

    EventBatch batch(kBatch);
    std::size_t cursor = 0;
    Nanos now = 1'700'000'000'000'000'000;
    auto one_batch = [&] {
        for (auto& e : batch) {
            e = pool[cursor++ % kPool];
        }
        now += 1'000'000; // 1 ms per batch
        if (!refill_only) {
            graph.run_timers(now);
            graph.push(source, batch, now);
        }
    };
    for (std::size_t i = 0; i < kWarmUpBatches; ++i) {
        one_batch();
    }
    sink.events = 0;
    auto allocs_before = bench::allocations();
    auto start = bench::thread_cpu_ns();
    auto batches = events / kBatch;
    for (std::size_t i = 0; i < batches; ++i) {
        one_batch();
    }
    auto elapsed = bench::thread_cpu_ns() - start;
    auto allocs = bench::allocations() - allocs_before;
    auto n = static_cast<double>(batches * kBatch);
    return {static_cast<double>(elapsed) / n, allocs, sink.events};
}

const char* g_only = nullptr; // run only the chains whose name contains this

void report(const char* name, const std::vector<const char*>& configs,
            const std::vector<Event>& pool, std::size_t events, double baseline) {
    if (g_only && std::string_view(name).find(g_only) == std::string_view::npos) {
        return;
    }
    // The fastest of seven runs: interference from other processes only ever adds time.
    std::vector<Result> runs;
    for (int i = 0; i < 7; ++i) {
        runs.push_back(run_chain(configs, pool, events, false));
    }
    const auto& r = *std::min_element(runs.begin(), runs.end(), [](const auto& a, const auto& b) {
        return a.ns_per_event < b.ns_per_event;
    });
    double net = r.ns_per_event - baseline;
    std::printf("%-26s %9.1f %9.1f %12.2f %11.6f %10llu\n", name, r.ns_per_event, net, 1e3 / net,
                static_cast<double>(r.allocations) / static_cast<double>(events / kBatch * kBatch),
                static_cast<unsigned long long>(r.delivered));
}

} // namespace

int main(int argc, char** argv) {
    std::size_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    g_only = argc > 2 ? argv[2] : nullptr;
    auto setup_allocations = bench::allocations();
    auto pool = make_pool();
    // Shows that the counter sees allocations at all: building the pool makes plenty.
    setup_allocations = bench::allocations() - setup_allocations;

    const char* filter = R"(type: filter, condition: "temp > -100 && status != 'fault'")";
    const char* map = R"(type: map, set: {temp_f: "temp * 1.8 + 32"}, drop: [status])";
    const char* rule =
        R"(type: rule, when: "temp_f > 160", clear: "temp_f < 150", key: [sensor], )"
        R"(emit: {on_set: {alarm: true, t: temp_f}, on_clear: {alarm: false, t: temp_f}})";

    double baseline = 1e300;
    for (int i = 0; i < 7; ++i) {
        baseline = std::min(baseline, run_chain({}, pool, events, true).ns_per_event);
    }
    std::printf("%zu events in batches of %zu; the batch refill costs %.1f ns/event and is "
                "subtracted in 'net'; CPU time of the thread, fastest of 7 runs; allocation "
                "counter check: %llu allocations while building the event pool\n\n",
                events, kBatch, baseline, static_cast<unsigned long long>(setup_allocations));
    std::printf("%-26s %9s %9s %12s %11s %10s\n", "chain", "ns/event", "net ns", "M events/s",
                "allocs/ev", "delivered");
    report("filter -> map -> rule", {filter, map, rule}, pool, events, baseline);
    report("filter", {filter}, pool, events, baseline);
    report("map", {map}, pool, events, baseline);
    report("rule (keyed, 100 keys)", {rule}, pool, events, baseline);
    report("threshold (keyed)",
           {"type: threshold, field: temp, above: 75, hysteresis: 2, key: [sensor]"}, pool, events,
           baseline);
    report("deadband (keyed)", {"type: deadband, field: temp, delta: 0.5, key: [sensor]"}, pool,
           events, baseline);
    report("window avg/max (keyed)",
           {"type: window, every: 100ms, key: [sensor], aggregate: {a: avg(temp), m: max(temp)}"},
           pool, events, baseline);
    report("throttle (keyed)", {"type: throttle, rate: 5/s, key: [sensor]"}, pool, events,
           baseline);
    return 0;
}
