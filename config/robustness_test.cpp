// Mutated configurations, from a fixed seed: whatever the bytes, the loader returns, reports
// one line per problem, and a file that loads prints to YAML that loads back the same.
#include "config/load.hpp"
#include "config/test_kinds.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace sluice;

namespace {

constexpr std::string_view kSeed = R"(version: 1
x-serial: &serial {type: serial, baud: 4800, parity: even}
daemon: {log_level: debug, shutdown_timeout: 250ms}
sources:
  gps: {<<: *serial, device: "/dev/ttyUSB0"}
  gen:
    type: generator
    rate: 10/s
    fields: {temp: "20", room: 'lab'}
stages:
  r:
    type: split
    inputs: [gps, gen]
    routes: {hot: "temp > 90", cold: "temp < 10"}
  p: {type: pass, inputs: r.hot, key: [room], max_keys: 5}
sinks:
  out: {type: file, path: "${SLUICE_ROBUSTNESS_UNSET:-/tmp/x}", inputs: [p, r.cold]}
actuators:
  fan:
    type: serial
    device: /dev/ttyACM0
    inputs: [r._unmatched]
    template: |
      FAN {on}
    safe_state: "FAN 0\n"
    buffer: {max_events: 8, when_full: drop_newest}
)";

constexpr std::string_view kInserts[] = {
    "[",    "]",  "{", "}",  ":",  ": ",     "- ", "&a ", "*a",    "<<: ", "\"",   "'", "\n",
    "\n  ", "\t", "#", "${", "$$", "!!str ", "|",  "? ",  "---\n", ",",    "null", "~"};

constexpr std::string_view kRealStagesSeed = R"y(version: 1
sources:
  s: {type: generator, fields: {temp: "20"}}
stages:
  f: {type: filter, inputs: s, condition: "exists(temp) && temp > -50 || room in [\"a\"]"}
  m:
    type: map
    inputs: f
    set: {temp_f: "round(temp * 1.8 + 32, 1)", label: 'upper(room) + "/x"'}
    rename: {room: place}
  r: {type: route, inputs: m, routes: {hot: "temp > 90", cold: "temp < 10"}}
  t: {type: threshold, inputs: r.hot, key: [place], field: temp, above: 95, for: 5s}
  w:
    type: window
    inputs: r.cold
    every: 1m
    aggregate: {avg_t: "avg(temp)", n: "count()"}
  u: {type: rule, inputs: m, when: "temp > 30", clear: "temp < 25", for: 2s}
sinks:
  out: {type: stdout, inputs: [t, w, u, r._unmatched]}
)y";

std::string mutate(std::string text, std::mt19937& rng) {
    auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n ? n - 1 : 0)(rng);
    };
    int edits = 1 + static_cast<int>(pick(2));
    for (int i = 0; i < edits && !text.empty(); ++i) {
        std::size_t at = pick(text.size());
        switch (pick(4)) {
        case 0:
            text.erase(at, 1 + pick(8));
            break;
        case 1:
            text.insert(at, kInserts[pick(std::size(kInserts))]);
            break;
        case 2:
            text[at] = static_cast<char>(32 + pick(95));
            break;
        default: {
            std::size_t from = pick(text.size());
            text.insert(at, text.substr(from, 1 + pick(40)));
            break;
        }
        }
    }
    return text;
}

void check_one_line_each(const Diagnostics& d) {
    auto text = d.format_all();
    CHECK(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) == d.all().size());
}

void mutate_and_load(std::string_view seed, const KindRegistry& registry, int rounds) {
    std::mt19937 rng(20261122);
    int loaded = 0;
    for (int round = 0; round < rounds; ++round) {
        std::string text = mutate(std::string(seed), rng);
        Diagnostics d("m.yaml");
        auto config = load_config_text(text, "m.yaml", registry, d);
        INFO(text);
        CHECK(config.has_value() != d.has_errors());
        check_one_line_each(d);
        if (!config) {
            continue;
        }
        ++loaded;
        auto printed = print_config(*config);
        Diagnostics again("printed.yaml");
        auto reloaded = load_config_text(printed, "printed.yaml", registry, again);
        INFO(printed);
        REQUIRE(reloaded);
        REQUIRE(reloaded->components.size() == config->components.size());
        for (std::size_t i = 0; i < config->components.size(); ++i) {
            CHECK(reloaded->components[i].options.canonical() ==
                  config->components[i].options.canonical());
        }
    }
    // The mutations must leave enough files loadable for the round trip to be tested.
    INFO("loaded " << loaded << " of " << rounds);
    CHECK(loaded > rounds / 20);
}

} // namespace

TEST_CASE("the seeds of the mutation tests load") {
    Diagnostics d("m.yaml");
    CHECK(load_config_text(kSeed, "m.yaml", testing::test_registry(), d));
    CHECK(load_config_text(kRealStagesSeed, "m.yaml", testing::golden_registry(), d));
    CHECK(d.format_all() == "");
}

TEST_CASE("mutated configurations never crash and loaded ones print back the same") {
    mutate_and_load(kSeed, testing::test_registry(), 1500);
}

TEST_CASE("mutated configurations of the real stages never crash the loader") {
    mutate_and_load(kRealStagesSeed, testing::golden_registry(), 1500);
}
