// The stages as the daemon runs them: inside a Graph, fed by a source, timers run by the graph.

#include "pipeline/graph.hpp"
#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

struct CaptureSink : SinkPort {
    EventBatch events;
    void accept(std::span<Event> batch) override {
        for (auto& e : batch) {
            events.push_back(std::move(e));
        }
    }
};

} // namespace

TEST_CASE("stages run inside the graph: route outputs feed stages and the graph runs timers") {
    Graph g;
    CaptureSink hot_windows, cold_alarms, rest;
    auto src = g.add_source("sensors");
    auto split = g.add_stage(
        "split", build_stage(R"(type: route, routes: {hot: "temp > 90", cold: "temp < 10"})"));
    auto per_second =
        g.add_stage("per_second", build_stage("type: window, every: 1s, key: [sensor], "
                                              "aggregate: {n: count(), peak: max(temp)}"));
    auto freezing = g.add_stage(
        "freezing", build_stage("type: threshold, field: temp, below: 5, key: [sensor]"));
    g.connect(src, 0, split);
    g.connect(split, 0, per_second);
    g.connect(split, 1, freezing);
    g.connect(per_second, 0, g.add_sink("hot_windows", &hot_windows));
    g.connect(freezing, 0, g.add_sink("cold_alarms", &cold_alarms));
    g.connect(split, 2, g.add_sink("rest", &rest));
    REQUIRE(g.finish().empty());

    std::vector<Event> batch{
        make_event({{"sensor", "a"}, {"temp", 95}}), make_event({{"sensor", "b"}, {"temp", 3}}),
        make_event({{"sensor", "a"}, {"temp", 99}}), make_event({{"sensor", "c"}, {"temp", 50}})};
    g.push(src, batch, 200 * kMillisecond);
    CHECK(show(cold_alarms.events) == Lines{R"({sensor: "b", alarm: true, value: 3})"});
    CHECK(show(rest.events) == Lines{R"({sensor: "c", temp: 50})"});
    CHECK(hot_windows.events.empty());

    CHECK(g.next_deadline() == kSecond);
    g.run_timers(kSecond);
    CHECK(show(hot_windows.events) ==
          Lines{R"({sensor: "a", n: 2, peak: 99, window_start: 0, window_end: 1000000000})"});
    CHECK(g.next_deadline() == kNever);
    CHECK(g.counters(split).events_in == 4);
    CHECK(g.counters(per_second).events_out == 1);
}

TEST_CASE("graph flush passes what one stage lets go through the stages after it") {
    Graph g;
    CaptureSink quiet_windows, alarms;
    auto src = g.add_source("sensors");
    // The window flushes into the debounce, which must flush after it for the aggregate to
    // arrive; the rule's `for` has not held yet, so it owes nothing.
    auto per_minute =
        g.add_stage("per_minute", build_stage("type: window, every: 1m, aggregate: {n: count()}"));
    auto settled = g.add_stage("settled", build_stage("type: debounce, for: 1h"));
    auto hot = g.add_stage("hot", build_stage(R"(type: rule, when: "temp > 90", for: 1h)"));
    g.connect(src, 0, per_minute);
    g.connect(per_minute, 0, settled);
    g.connect(settled, 0, g.add_sink("quiet_windows", &quiet_windows));
    g.connect(src, 0, hot);
    g.connect(hot, 0, g.add_sink("alarms", &alarms));
    REQUIRE(g.finish().empty());

    std::vector<Event> batch{make_event({{"temp", 95}}), make_event({{"temp", 96}})};
    g.push(src, batch, kSecond);
    CHECK(quiet_windows.events.empty());
    g.flush(2 * kSecond);
    CHECK(show(quiet_windows.events) == Lines{"{n: 2, window_start: 0, window_end: 60000000000}"});
    CHECK(alarms.events.empty());
    CHECK(g.counters(settled).events_out == 1);
}

TEST_CASE("route counts an event once however many routes it goes to") {
    Graph g;
    CaptureSink even, four, rest;
    auto src = g.add_source("seq");
    auto split = g.add_stage(
        "split",
        build_stage(R"(type: route, routes: {even: "seq % 2 == 0", four: "seq % 4 == 0"})"));
    g.connect(src, 0, split);
    g.connect(split, 0, g.add_sink("even", &even));
    g.connect(split, 1, g.add_sink("four", &four));
    g.connect(split, 2, g.add_sink("rest", &rest));
    REQUIRE(g.finish().empty());

    std::vector<Event> batch;
    for (int seq = 0; seq < 14; ++seq) {
        batch.push_back(make_event({{"seq", seq}}));
    }
    batch.push_back(make_event({{"seq", "x"}})); // fails to evaluate: an error, sent nowhere
    g.push(src, batch, 0);

    CHECK(even.events.size() == 7);
    CHECK(four.events.size() == 4);
    CHECK(rest.events.size() == 7);
    const auto& counters = g.counters(split);
    const auto& stage = g.stage(split)->counters();
    CHECK(counters.events_in == 15);
    CHECK(counters.events_out == 14);
    CHECK(stage.errors == 1);
    CHECK(counters.events_in ==
          counters.events_out + stage.dropped + stage.errors + g.stage(split)->buffered());
}
