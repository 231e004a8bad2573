#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

Event reading(double temp, std::string_view sensor = "a") {
    return make_event({{"sensor", sensor}, {"temp", temp}});
}

} // namespace

TEST_CASE("deadband forwards the first value and then only moves of at least delta") {
    StageRunner run("type: deadband, field: temp, delta: 0.5");
    struct Step {
        double temp;
        bool forwarded;
    };
    const Step steps[] = {{20.0, true},  {20.2, false}, {20.4, false}, {20.5, true},
                          {20.9, false}, {21.0, true},  {20.6, false}, {20.5, true}};
    for (const auto& step : steps) {
        INFO("temp " << step.temp);
        CHECK(run.push({reading(step.temp)}, 0).size() == (step.forwarded ? 1u : 0u));
    }
    CHECK(run.stage().counters().dropped == 4);
}

TEST_CASE("deadband forwards a change of exactly delta") {
    SECTION("exactly representable") {
        StageRunner run("type: deadband, field: temp, delta: 0.25");
        run.push({reading(10)}, 0);
        CHECK(run.push({reading(10.25)}, 0).size() == 1);
        CHECK(run.push({reading(10.0)}, 0).size() == 1);
    }
    SECTION("decimal values that doubles round") {
        StageRunner run("type: deadband, field: temp, delta: 0.1");
        run.push({reading(20.1)}, 0);
        CHECK(run.push({reading(20.2)}, 0).size() == 1);
        CHECK(run.push({reading(20.1)}, 0).size() == 1);
    }
    SECTION("integers") {
        StageRunner run("type: deadband, field: temp, delta: 2");
        run.push({make_event({{"temp", 7}})}, 0);
        CHECK(run.push({make_event({{"temp", 8}})}, 0).empty());
        CHECK(run.push({make_event({{"temp", 9}})}, 0).size() == 1);
    }
}

TEST_CASE("deadband keeps one last value per key") {
    StageRunner run("type: deadband, field: temp, delta: 1, key: [sensor]");
    auto out = run.push({reading(20, "a"), reading(30, "b"), reading(20.5, "a"), reading(31, "b"),
                         reading(21, "a")},
                        0);
    CHECK(show(out) == Lines{R"({sensor: "a", temp: 20.0})", R"({sensor: "b", temp: 30.0})",
                             R"({sensor: "b", temp: 31.0})", R"({sensor: "a", temp: 21.0})"});
    CHECK(run.stage().key_count() == 2);
}

TEST_CASE("deadband max_interval forwards the next event once the interval has passed") {
    StageRunner run("type: deadband, field: temp, delta: 5, max_interval: 10s");
    CHECK(run.push({reading(20)}, 0).size() == 1);
    CHECK(run.push({reading(20)}, 9 * kSecond).empty());
    // No timer: nothing is emitted between events.
    CHECK(run.stage().next_deadline() == kNever);
    CHECK(run.push({reading(20)}, 10 * kSecond).size() == 1);
    CHECK(run.push({reading(20)}, 15 * kSecond).empty());
    CHECK(run.push({reading(20)}, 20 * kSecond).size() == 1);
}

TEST_CASE("deadband passes events without the field and counts non-numbers as errors") {
    StageRunner run("type: deadband, field: temp, delta: 1");
    auto out = run.push({make_event({{"status", "boot"}}), make_event({{"temp", "hot"}}),
                         make_event({{"temp", nullptr}})},
                        0);
    CHECK(out.size() == 2);
    CHECK(run.stage().counters().errors == 1);
    CHECK(run.stage().counters().last_error == "deadband field is not a number");
}

TEST_CASE("deadband evicts the least recently used key at max_keys and counts it") {
    StageRunner run("type: deadband, field: temp, delta: 1, key: [sensor], max_keys: 2");
    run.push({reading(20, "a"), reading(20, "b")}, 0);
    run.push({reading(20.1, "a")}, 0); // a is now the most recently used
    CHECK(run.push({reading(20, "c")}, 0).size() == 1);
    CHECK(run.stage().counters().evictions == 1);
    CHECK(run.stage().key_count() == 2);
    // b was evicted, so its next value counts as a first value; a was kept.
    CHECK(run.push({reading(20.1, "b")}, 0).size() == 1);
    CHECK(run.push({reading(20.2, "c")}, 0).empty());
}

TEST_CASE("deadband rejects a missing or negative delta at its position") {
    Diagnostics d("f.yaml");
    CHECK(build_stage("type: deadband, field: temp, delta: -1", d) == nullptr);
    REQUIRE(d.all().size() == 1);
    CHECK(d.all()[0].position.column == 37);
    Diagnostics missing("f.yaml");
    CHECK(build_stage("type: deadband, field: temp", missing) == nullptr);
    CHECK(missing.format_all().find("missing option 'delta'") != std::string::npos);
}
