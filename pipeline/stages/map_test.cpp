#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

TEST_CASE("map sets fields in file order, each seeing the ones set before it") {
    StageRunner run(R"(type: map, set: {f: "c * 2 + 32", hot: "f > 90", c: "c + 1"})");
    CHECK(show(run.push({make_event({{"c", 33.25}})}, 0)) ==
          Lines{"{c: 34.25, f: 98.5, hot: true}"});
}

TEST_CASE("map applies set, then rename, then drop, then keep") {
    StageRunner run("type: map, set: {b: a + 1}, rename: {b: c, x: y}, drop: [a], "
                    "keep: [c, y, z]");
    auto out = run.push({make_event({{"a", 1}, {"x", "text"}, {"w", true}})}, 0);
    // set made b, rename turned it into c and x into y, drop removed a, keep removed w.
    CHECK(show(out) == Lines{R"({y: "text", c: 2})"});
}

TEST_CASE("map rename replaces a field already called the new name") {
    StageRunner run("type: map, rename: {temp_c: temp}");
    CHECK(show(run.push({make_event({{"temp", 1}, {"temp_c", 2}})}, 0)) == Lines{"{temp: 2}"});
}

TEST_CASE("map keep with an empty list removes every field, and no keep keeps them all") {
    StageRunner none("type: map, keep: []");
    CHECK(show(none.push({make_event({{"a", 1}})}, 0)) == Lines{"{}"});
    StageRunner all("type: map, drop: [missing]");
    CHECK(show(all.push({make_event({{"a", 1}})}, 0)) == Lines{"{a: 1}"});
}

TEST_CASE("map copies strings between fields of the same event") {
    StageRunner run(R"x(type: map, set: {copy: name, shout: "upper(name)"})x");
    CHECK(show(run.push({make_event({{"name", "a fairly long name for a sensor"}})}, 0)) ==
          Lines{R"({name: "a fairly long name for a sensor", copy: "a fairly long name for a )"
                R"(sensor", shout: "A FAIRLY LONG NAME FOR A SENSOR"})"});
}

TEST_CASE("map drops the event when an expression fails and counts the error") {
    StageRunner run("type: map, set: {r: 1 / d}");
    auto out = run.push({make_event({{"d", 0}}), make_event({{"d", 4}})}, 0);
    CHECK(show(out) == Lines{"{d: 4, r: 0.25}"});
    CHECK(run.stage().counters().errors == 1);
    CHECK(run.stage().counters().last_error == "division by zero");
}

TEST_CASE("map reports every bad expression in one go") {
    Diagnostics d("f.yaml");
    CHECK(build_stage(R"(type: map, set: {a: "1 +", b: "(2"}, rename: {c: [x]})", d) == nullptr);
    CHECK(d.error_count() == 3);
}
