#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

Event reading(double temp, std::string_view sensor = "a") {
    return make_event({{"sensor", sensor}, {"temp", temp}});
}

EventBatch feed(StageRunner& run, std::initializer_list<double> values, Nanos now = 0) {
    EventBatch all;
    for (auto v : values) {
        for (auto& e : run.push({reading(v)}, now)) {
            all.push_back(std::move(e));
        }
    }
    return all;
}

} // namespace

TEST_CASE("threshold chatter around the limit gives one set and one clear") {
    StageRunner run("type: threshold, field: temp, above: 80, hysteresis: 2, key: [sensor]");
    auto out = feed(run, {79, 80, 81, 79.5, 80.5, 78.5, 80.9, 78.0, 79.9, 77.9, 79, 80, 78.5});
    CHECK(show(out) == Lines{R"({sensor: "a", alarm: true, value: 81.0})",
                             R"({sensor: "a", alarm: false, value: 77.9})"});
}

TEST_CASE("threshold without hysteresis clears once the value is below the limit") {
    StageRunner run("type: threshold, field: temp, above: 80");
    CHECK(show(feed(run, {81, 80, 79.9})) ==
          Lines{"{alarm: true, value: 81.0}", "{alarm: false, value: 79.9}"});
}

TEST_CASE("threshold below mirrors above") {
    StageRunner run("type: threshold, field: temp, below: 10, hysteresis: 1");
    CHECK(show(feed(run, {12, 9.5, 10.5, 9, 11, 11.5})) ==
          Lines{"{alarm: true, value: 9.5}", "{alarm: false, value: 11.5}"});
}

TEST_CASE("threshold for sets the alarm on the timer once the limit stayed crossed") {
    StageRunner run("type: threshold, field: temp, above: 80, for: 5s");
    CHECK(run.push({reading(85)}, 0).empty());
    CHECK(run.push({reading(90)}, 2 * kSecond).empty());
    CHECK(run.stage().next_deadline() == 5 * kSecond);
    CHECK(run.advance(5 * kSecond - 1).empty());
    auto out = run.advance(5 * kSecond);
    REQUIRE(out.size() == 1);
    CHECK(show(out[0]) == "{alarm: true, value: 90.0}");
    CHECK(out[0].ts() == 5 * kSecond);
    CHECK(run.stage().next_deadline() == kNever);
}

TEST_CASE("threshold for restarts when the value drops back before the deadline") {
    StageRunner run("type: threshold, field: temp, above: 80, for: 5s");
    run.push({reading(85)}, 0);
    run.push({reading(70)}, 4 * kSecond);
    CHECK(run.stage().next_deadline() == kNever);
    run.push({reading(85)}, 6 * kSecond);
    CHECK(run.advance(10 * kSecond).empty());
    CHECK(run.advance(11 * kSecond).size() == 1);
}

TEST_CASE("threshold clears at once even with for") {
    StageRunner run("type: threshold, field: temp, above: 80, for: 1s");
    run.push({reading(85)}, 0);
    run.advance(kSecond);
    CHECK(show(run.push({reading(10)}, 2 * kSecond)) == Lines{"{alarm: false, value: 10.0}"});
}

TEST_CASE("threshold keeps the key fields and the state of each key apart") {
    StageRunner run("type: threshold, field: temp, above: 50, key: [sensor]");
    auto out =
        run.push({reading(60, "a"), reading(40, "b"), reading(60, "b"), reading(40, "a")}, 0);
    CHECK(show(out) == Lines{R"({sensor: "a", alarm: true, value: 60.0})",
                             R"({sensor: "b", alarm: true, value: 60.0})",
                             R"({sensor: "a", alarm: false, value: 40.0})"});
}

TEST_CASE("threshold ignores events without the field and counts non-numbers as errors") {
    StageRunner run("type: threshold, field: temp, above: 50");
    CHECK(run.push({make_event({{"x", 1}}), make_event({{"temp", "hot"}})}, 0).empty());
    CHECK(run.stage().counters().errors == 1);
    CHECK(run.stage().key_count() == 0);
}

TEST_CASE("threshold needs exactly one of above and below") {
    Diagnostics both("f.yaml");
    CHECK(build_stage("type: threshold, field: temp, above: 1, below: 0", both) == nullptr);
    CHECK(both.format_all().find("exactly one of 'above' and 'below'") != std::string::npos);
    Diagnostics neither("f.yaml");
    CHECK(build_stage("type: threshold, field: temp", neither) == nullptr);
    Diagnostics negative("f.yaml");
    CHECK(build_stage("type: threshold, field: t, above: 1, hysteresis: -1", negative) == nullptr);
}
