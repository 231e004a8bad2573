#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

TEST_CASE("filter passes matching events and counts the others as dropped") {
    StageRunner run(R"(type: filter, condition: "temp > 20 && sensor != 'b'")");
    auto out = run.push({make_event({{"sensor", "a"}, {"temp", 25}}),
                         make_event({{"sensor", "a"}, {"temp", 15}}),
                         make_event({{"sensor", "b"}, {"temp", 25}}),
                         make_event({{"sensor", "c"}, {"temp", 20.5}})},
                        0);
    CHECK(show(out) == Lines{R"({sensor: "a", temp: 25})", R"({sensor: "c", temp: 20.5})"});
    CHECK(run.stage().counters().dropped == 2);
    CHECK(run.stage().counters().errors == 0);
}

TEST_CASE("filter drops events without the field: a comparison with null is false") {
    StageRunner run("type: filter, condition: temp > 20");
    CHECK(run.push({make_event({{"other", 30}})}, 0).empty());
    CHECK(run.stage().counters().dropped == 1);
}

TEST_CASE("filter counts an evaluation error, keeps why, and drops the event") {
    StageRunner run("type: filter, condition: 10 / divisor > 1");
    auto out = run.push({make_event({{"divisor", 0}}), make_event({{"divisor", 2}})}, 0);
    CHECK(show(out) == Lines{"{divisor: 2}"});
    CHECK(run.stage().counters().errors == 1);
    CHECK(run.stage().counters().dropped == 0);
    CHECK(run.stage().counters().last_error == "division by zero");
}

TEST_CASE("filter sees the pipeline clock in now()") {
    StageRunner run("type: filter, condition: now() >= 5s");
    CHECK(run.push({make_event({{"a", 1}})}, 4 * kSecond).empty());
    CHECK(run.push({make_event({{"a", 1}})}, 5 * kSecond).size() == 1);
}

TEST_CASE("filter reports a bad condition at its column in the file") {
    Diagnostics d("f.yaml");
    CHECK(build_stage(R"x(type: filter, condition: "temp > )")x", d) == nullptr);
    REQUIRE(d.all().size() == 1);
    // The scalar's quote is at column 26, so the expression starts at 27 and ')' is at 34.
    CHECK(d.format_all() == "f.yaml:1:34: error: unexpected ')', expected an operand\n");
}
