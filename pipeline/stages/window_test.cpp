#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

Event reading(TestValue temp, std::string_view sensor = "a") {
    return make_event({{"sensor", sensor}, {"temp", temp}});
}

} // namespace

TEST_CASE("window emits one aggregate per key when a tumbling window closes") {
    StageRunner run("type: window, every: 10s, key: [sensor], "
                    "aggregate: {n: count(), mean: avg(temp)}");
    run.push({reading(10, "a"), reading(20, "b")}, kSecond);
    run.push({reading(20, "a")}, 9 * kSecond);
    CHECK(run.stage().next_deadline() == 10 * kSecond);
    CHECK(run.advance(10 * kSecond - 1).empty());
    auto out = run.advance(10 * kSecond);
    CHECK(show(out) ==
          Lines{R"({sensor: "a", n: 2, mean: 15.0, window_start: 0, window_end: 10000000000})",
                R"({sensor: "b", n: 1, mean: 20.0, window_start: 0, window_end: 10000000000})"});
    CHECK(out[0].ts() == 10 * kSecond);
    CHECK(run.stage().key_count() == 0);
    CHECK(run.stage().buffered() == 0);
}

TEST_CASE("window start is inclusive and its end exclusive") {
    StageRunner run("type: window, every: 10s, aggregate: {n: count()}");
    run.push({reading(1)}, 10 * kSecond - 1);
    // The first instant of the next window: the first window closes before the event is added.
    auto out = run.push({reading(2)}, 10 * kSecond);
    CHECK(show(out) == Lines{"{n: 1, window_start: 0, window_end: 10000000000}"});
    CHECK(show(run.advance(20 * kSecond)) ==
          Lines{"{n: 1, window_start: 10000000000, window_end: 20000000000}"});
}

TEST_CASE("window boundaries are multiples of every since the epoch") {
    StageRunner run("type: window, every: 1m, aggregate: {n: count()}");
    run.push({reading(1)}, 125 * kSecond);
    CHECK(run.stage().next_deadline() == 180 * kSecond);
    CHECK(show(run.advance(180 * kSecond)) ==
          Lines{"{n: 1, window_start: 120000000000, window_end: 180000000000}"});
}

TEST_CASE("window emits nothing for empty windows") {
    StageRunner run("type: window, every: 1s, aggregate: {n: count()}");
    run.push({reading(1)}, 0);
    CHECK(run.advance(kSecond).size() == 1);
    CHECK(run.stage().next_deadline() == kNever);
    CHECK(run.advance(10 * kSecond).empty());
    run.push({reading(1)}, 10 * kSecond + 5);
    CHECK(run.advance(11 * kSecond).size() == 1);
}

TEST_CASE("window computes every aggregate function") {
    StageRunner run("type: window, every: 10s, aggregate: {n: count(), n_temp: count(temp), "
                    "total: sum(temp), mean: avg(temp), low: min(temp), high: max(temp), "
                    "first: first(temp), last: last(temp), sd: stddev(temp)}");
    run.push({reading(2), reading(4), reading(nullptr), reading(4), reading(4), reading(5),
              reading(5), reading(7), reading(9)},
             0);
    CHECK(show(run.advance(10 * kSecond)) ==
          Lines{"{n: 9, n_temp: 8, total: 40, mean: 5.0, low: 2, high: 9, first: 2, last: 9, "
                "sd: 2.0, window_start: 0, window_end: 10000000000}"});
}

TEST_CASE("window aggregates mix ints and doubles and keep strings for first and last") {
    StageRunner run("type: window, every: 10s, aggregate: {total: sum(temp), low: min(temp), "
                    "first: first(state), last: last(state)}");
    run.push({make_event({{"temp", 2}, {"state", "a rather long first state string"}}),
              make_event({{"temp", 0.5}, {"state", "on"}}), make_event({{"temp", "x"}})},
             0);
    CHECK(show(run.advance(10 * kSecond)) ==
          Lines{R"({total: 2.5, low: 0.5, first: "a rather long first state string", )"
                R"(last: "on", window_start: 0, window_end: 10000000000})"});
}

TEST_CASE("window aggregates of a window without values are null") {
    StageRunner run("type: window, every: 10s, aggregate: {n: count(), mean: avg(temp)}");
    run.push({make_event({{"other", 1}})}, 0);
    CHECK(show(run.advance(10 * kSecond)) ==
          Lines{"{n: 1, mean: null, window_start: 0, window_end: 10000000000}"});
}

TEST_CASE("window hopping windows overlap and each event counts in every window it falls in") {
    StageRunner run("type: window, size: 10s, every: 5s, aggregate: {n: count(), s: sum(temp)}");
    run.push({reading(1)}, 2 * kSecond); // windows [-5,5) and [0,10)
    auto out = run.advance(7 * kSecond);
    run.push({reading(10)}, 7 * kSecond); // windows [0,10) and [5,15)
    auto later = run.advance(15 * kSecond);
    out.insert(out.end(), later.begin(), later.end());
    CHECK(show(out) == Lines{"{n: 1, s: 1, window_start: -5000000000, window_end: 5000000000}",
                             "{n: 2, s: 11, window_start: 0, window_end: 10000000000}",
                             "{n: 1, s: 10, window_start: 5000000000, window_end: 15000000000}"});
    CHECK(out[1].ts() == 10 * kSecond);
}

TEST_CASE("window with size shorter than every drops the events between windows") {
    StageRunner run("type: window, size: 1s, every: 10s, aggregate: {n: count()}");
    run.push({reading(1)}, 500 * kMillisecond);
    CHECK(show(run.advance(5 * kSecond)) ==
          Lines{"{n: 1, window_start: 0, window_end: 1000000000}"});
    run.push({reading(1)}, 5 * kSecond);
    CHECK(run.stage().counters().dropped == 1);
    CHECK(run.advance(20 * kSecond).empty());
}

TEST_CASE("window closes a due window before a batch that arrives after its end") {
    StageRunner run("type: window, every: 10s, aggregate: {n: count()}");
    run.push({reading(1)}, kSecond);
    auto out = run.push({reading(1)}, 25 * kSecond);
    CHECK(show(out) == Lines{"{n: 1, window_start: 0, window_end: 10000000000}"});
    CHECK(run.stage().next_deadline() == 30 * kSecond);
}

TEST_CASE("window forgets open windows of a key evicted at max_keys") {
    StageRunner run("type: window, every: 10s, key: [sensor], max_keys: 2, "
                    "aggregate: {n: count()}");
    run.push({reading(1, "a"), reading(1, "b"), reading(1, "c")}, 0);
    CHECK(run.stage().counters().evictions == 1);
    CHECK(run.stage().buffered() == 2);
    // Windows closing together leave in slot order; c took over a's slot 0.
    CHECK(show(run.advance(10 * kSecond)) ==
          Lines{R"({sensor: "c", n: 1, window_start: 0, window_end: 10000000000})",
                R"({sensor: "b", n: 1, window_start: 0, window_end: 10000000000})"});
}

TEST_CASE("window flush closes every open window early, in the order the clock would have") {
    StageRunner run("type: window, size: 2s, every: 1s, key: [sensor], "
                    "aggregate: {n: count(), s: sum(temp)}");
    run.push({reading(1, "a")}, 500 * kMillisecond);   // a: windows [-1,1) and [0,2)
    run.push({reading(10, "b")}, 1500 * kMillisecond); // b: [0,2) and [1,3); a's [-1,1) closes
    run.push({reading(2, "a")}, 1600 * kMillisecond);  // a: [0,2) and [1,3)
    CHECK(run.stage().buffered() == 4);
    // Long before any of them is due.
    auto out = run.flush(1700 * kMillisecond);
    CHECK(show(out) ==
          Lines{R"({sensor: "a", n: 2, s: 3, window_start: 0, window_end: 2000000000})",
                R"({sensor: "b", n: 1, s: 10, window_start: 0, window_end: 2000000000})",
                R"({sensor: "a", n: 1, s: 2, window_start: 1000000000, window_end: 3000000000})",
                R"({sensor: "b", n: 1, s: 10, window_start: 1000000000, window_end: 3000000000})"});
    CHECK(out[0].ts() == 2 * kSecond);
    CHECK(out[3].ts() == 3 * kSecond);
    CHECK(run.stage().buffered() == 0);
    CHECK(run.stage().key_count() == 0);
    CHECK(run.stage().next_deadline() == kNever);
    CHECK(run.flush(2 * kSecond).empty());
}

TEST_CASE("window flush without open windows emits nothing") {
    StageRunner run("type: window, every: 1s, aggregate: {n: count()}");
    CHECK(run.flush(0).empty());
    run.push({reading(1)}, 0);
    CHECK(run.advance(kSecond).size() == 1);
    CHECK(run.flush(kSecond).empty());
}

TEST_CASE("window rejects unknown functions, bad forms and reserved names") {
    for (const char* bad :
         {"aggregate: {x: median(temp)}", "aggregate: {x: avg}", "aggregate: {x: sum()}",
          "aggregate: {window_end: count()}", "aggregate: {}"}) {
        INFO(bad);
        Diagnostics d("f.yaml");
        CHECK(build_stage(std::string("type: window, every: 1s, ") + bad, d) == nullptr);
        CHECK(d.has_errors());
    }
    Diagnostics d("f.yaml");
    CHECK(build_stage("type: window, every: 1s, size: 101s, aggregate: {n: count()}", d) ==
          nullptr);
}
