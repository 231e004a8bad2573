// Randomized tests: threshold, deadband and window against simple reference models, and
// determinism of every time-driven stage on a virtual clock.

#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <string>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

constexpr int kEvents = 100000;
constexpr int kSensors = 16;

/// A random stream: batches of 1-20 events sharing one `now`, the clock advancing 0-300 ms
/// between batches, each sensor's value a random walk in steps of 0.25 (exact in binary)
/// within 78..92, so it crosses the limits used below often.
struct Stream {
    struct Batch {
        Nanos now;
        std::vector<std::pair<int, double>> readings; // sensor, value
    };
    std::vector<Batch> batches;

    explicit Stream(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        std::vector<double> value(kSensors, 85);
        Nanos now = 1'700'000'000 * kSecond;
        for (int n = 0; n < kEvents;) {
            now += static_cast<Nanos>(rng() % 300) * kMillisecond;
            Batch batch{now, {}};
            for (auto size = rng() % 20 + 1; size > 0 && n < kEvents; --size, ++n) {
                auto s = static_cast<int>(rng() % kSensors);
                value[s] += 0.25 * (static_cast<double>(rng() % 9) - 4);
                value[s] = std::clamp(value[s], 78.0, 92.0);
                batch.readings.emplace_back(s, value[s]);
            }
            batches.push_back(std::move(batch));
        }
    }
};

std::string sensor_name(int s) {
    return "s" + std::to_string(s);
}

std::vector<Event> events_of(const Stream::Batch& batch) {
    std::vector<Event> out;
    for (const auto& [s, v] : batch.readings) {
        auto name = sensor_name(s);
        out.push_back(make_event({{"sensor", std::string_view(name)}, {"temp", v}}, batch.now));
    }
    return out;
}

/// Runs the stream through `run` with punctual timers; returns every output with its ts.
std::vector<std::string> drive(StageRunner& run, const Stream& stream) {
    std::vector<std::string> out;
    auto record = [&](const EventBatch& batch) {
        for (const auto& e : batch) {
            out.push_back(std::to_string(e.ts()) + " " + show(e));
        }
    };
    for (const auto& batch : stream.batches) {
        record(run.advance(batch.now));
        record(run.push(events_of(batch), batch.now));
    }
    record(run.advance(kNever - 1));
    return out;
}

/// Output lines per sensor, in order (stages order simultaneous keys by slot; a key's own
/// outputs are what the models define).
std::map<std::string, Lines> by_sensor(const std::vector<std::string>& lines) {
    std::map<std::string, Lines> out;
    for (const auto& line : lines) {
        auto at = line.find("sensor: \"");
        auto end = line.find('"', at + 9);
        out[line.substr(at + 9, end - at - 9)].push_back(line);
    }
    return out;
}

std::string line(Nanos ts, const std::string& body) {
    return std::to_string(ts) + " " + body;
}

std::string num(double v) {
    return show(make_event({{"v", v}})).substr(4, show(make_event({{"v", v}})).size() - 5);
}

} // namespace

TEST_CASE("threshold matches a reference model over 100000 random events") {
    Stream stream(20240601);
    StageRunner run("type: threshold, field: temp, above: 85, hysteresis: 2.5, for: 2s, "
                    "key: [sensor]");
    struct Model {
        bool active = false;
        std::optional<Nanos> deadline;
        double value = 0;
    };
    std::map<std::string, Model> models;
    std::map<std::string, Lines> expected;
    auto alarm = [&](const std::string& s, Nanos ts, bool on, double v) {
        expected[s].push_back(line(ts, "{sensor: \"" + s + "\", alarm: " + (on ? "true" : "false") +
                                           ", value: " + num(v) + "}"));
    };
    for (const auto& batch : stream.batches) {
        for (const auto& [id, x] : batch.readings) {
            auto s = sensor_name(id);
            auto& m = models[s];
            if (m.deadline && *m.deadline <= batch.now) {
                m.active = true;
                alarm(s, *m.deadline, true, m.value);
                m.deadline.reset();
            }
            bool cond = m.active ? x < 85 - 2.5 : x > 85;
            if (!cond) {
                m.deadline.reset();
            } else if (m.active) {
                m.active = false;
                alarm(s, batch.now, false, x);
            } else if (!m.deadline) {
                m.deadline = batch.now + 2 * kSecond;
            }
            m.value = x;
        }
    }
    for (auto& [s, m] : models) {
        if (m.deadline) {
            alarm(s, *m.deadline, true, m.value);
        }
    }
    auto actual = by_sensor(drive(run, stream));
    CHECK(actual.size() == expected.size());
    for (const auto& [s, lines] : expected) {
        INFO(s);
        CHECK(lines.size() > 20);
        CHECK(actual[s] == lines);
    }
}

TEST_CASE("deadband matches a reference model over 100000 random events") {
    Stream stream(77);
    StageRunner run("type: deadband, field: temp, delta: 1, max_interval: 5s, key: [sensor]");
    struct Model {
        double last;
        Nanos at;
    };
    std::map<int, Model> models;
    Lines expected;
    for (const auto& batch : stream.batches) {
        for (const auto& [id, x] : batch.readings) {
            auto it = models.find(id);
            if (it == models.end() || std::abs(x - it->second.last) >= 1 ||
                batch.now - it->second.at >= 5 * kSecond) {
                models[id] = {x, batch.now};
                expected.push_back(
                    line(batch.now, "{sensor: \"" + sensor_name(id) + "\", temp: " + num(x) + "}"));
            }
        }
    }
    auto actual = drive(run, stream);
    CHECK(actual.size() == expected.size());
    CHECK(actual == expected);
    CHECK(run.stage().counters().dropped == kEvents - expected.size());
}

TEST_CASE("window matches a reference model over 100000 random events") {
    auto every = GENERATE(as<Nanos>{}, 1, 3);
    auto size = GENERATE(as<Nanos>{}, 1, 2, 5);
    INFO("every " << every << "s, size " << size << "s");
    Stream stream(static_cast<std::uint64_t>(every * 10 + size));
    StageRunner run("type: window, every: " + std::to_string(every) +
                    "s, size: " + std::to_string(size) +
                    "s, key: [sensor], aggregate: {n: count(), "
                    "total: sum(temp), low: min(temp), high: max(temp), mean: avg(temp)}");
    // (sensor, window number) -> the values in that window, in arrival order.
    std::map<std::pair<int, Nanos>, std::vector<double>> windows;
    for (const auto& batch : stream.batches) {
        for (const auto& [id, x] : batch.readings) {
            for (Nanos k = batch.now / (every * kSecond);
                 k * every * kSecond + size * kSecond > batch.now; --k) {
                windows[{id, k}].push_back(x);
            }
        }
    }
    Lines expected;
    for (const auto& [at, values] : windows) {
        double total = 0;
        for (auto v : values) {
            total += v;
        }
        auto start = at.second * every * kSecond;
        auto end = start + size * kSecond;
        expected.push_back(
            line(end, "{sensor: \"" + sensor_name(at.first) +
                          "\", n: " + std::to_string(values.size()) + ", total: " + num(total) +
                          ", low: " + num(*std::min_element(values.begin(), values.end())) +
                          ", high: " + num(*std::max_element(values.begin(), values.end())) +
                          ", mean: " + num(total / static_cast<double>(values.size())) +
                          ", window_start: " + std::to_string(start) +
                          ", window_end: " + std::to_string(end) + "}"));
    }
    auto actual = drive(run, stream);
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
    CHECK(actual.size() == expected.size());
    CHECK(actual == expected);
}

TEST_CASE("the same input on the same virtual clock gives the same output") {
    const char* configs[] = {
        "type: threshold, field: temp, above: 85, hysteresis: 1, for: 1s, key: [sensor]",
        "type: rule, when: temp > 90, for: 500ms, clear: temp < 85, clear_for: 1s, "
        "key: [sensor], emit: {on_set: {v: temp}, on_clear: {v: temp}}",
        "type: deadband, field: temp, delta: 0.75, max_interval: 2s, key: [sensor]",
        "type: debounce, for: 400ms, key: [sensor]",
        "type: throttle, rate: 3/s, key: [sensor]",
        "type: window, size: 4s, every: 2s, key: [sensor], aggregate: {n: count(), "
        "sd: stddev(temp), last: last(temp)}",
        "type: stale, timeout: 700ms, key: [sensor], max_keys: 8",
    };
    Stream stream(99);
    for (const char* config : configs) {
        INFO(config);
        StageRunner first(config);
        StageRunner second(config);
        auto a = drive(first, stream);
        auto b = drive(second, stream);
        CHECK(a.size() > 100);
        CHECK(a == b);
    }
}
