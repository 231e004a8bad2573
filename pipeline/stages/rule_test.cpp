#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

Event reading(double temp, std::string_view sensor = "a", Nanos ts = 0) {
    return make_event({{"sensor", sensor}, {"temp", temp}}, ts);
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

TEST_CASE("rule emits one event per edge, not one per input") {
    StageRunner run("type: rule, when: temp > 50, key: [sensor]");
    auto out = feed(run, {40, 60, 70, 80, 40, 30, 60});
    CHECK(show(out) == Lines{R"({sensor: "a", active: true})", R"({sensor: "a", active: false})",
                             R"({sensor: "a", active: true})"});
}

TEST_CASE("rule for fires at the deadline on the timer even without further events") {
    StageRunner run("type: rule, when: temp > 50, for: 10s, key: [sensor]");
    CHECK(run.push({reading(60)}, 0).empty());
    CHECK(run.push({reading(61)}, 3 * kSecond).empty());
    CHECK(run.stage().next_deadline() == 10 * kSecond);
    auto out = run.advance(10 * kSecond);
    REQUIRE(show(out) == Lines{R"({sensor: "a", active: true})"});
    CHECK(out[0].ts() == 10 * kSecond);
    CHECK(run.stage().next_deadline() == kNever);
}

TEST_CASE("rule for resets when the condition breaks") {
    StageRunner run("type: rule, when: temp > 50, for: 10s");
    run.push({reading(60)}, 0);
    run.push({reading(40)}, 9 * kSecond); // breaks the hold one second short
    CHECK(run.advance(10 * kSecond).empty());
    run.push({reading(60)}, 12 * kSecond); // the hold starts again from here
    CHECK(run.advance(21 * kSecond).empty());
    CHECK(run.advance(22 * kSecond).size() == 1);
}

TEST_CASE("rule clear gives hysteresis: chatter between the limits changes nothing") {
    StageRunner run("type: rule, when: temp > 80, clear: temp < 70");
    auto out = feed(run, {75, 81, 79, 75, 85, 71, 69, 75, 79, 81});
    CHECK(show(out) == Lines{"{active: true}", "{active: false}", "{active: true}"});
}

TEST_CASE("rule clear_for holds the clear condition before clearing") {
    StageRunner run("type: rule, when: temp > 80, clear_for: 5s");
    run.push({reading(90)}, 0);
    run.push({reading(70)}, kSecond);
    run.push({reading(90)}, 3 * kSecond); // the clear breaks: still set
    CHECK(run.advance(10 * kSecond).empty());
    run.push({reading(70)}, 10 * kSecond);
    CHECK(show(run.advance(15 * kSecond)) == Lines{"{active: false}"});
}

TEST_CASE("rule emit evaluates its fields against the triggering event, after the key fields") {
    StageRunner run("type: rule, when: temp > 50, key: [sensor], "
                    "emit: {on_set: {level: \"'high'\", t: temp}, on_clear: {t: temp}}");
    auto out = feed(run, {40, 55, 60, 20});
    CHECK(show(out) ==
          Lines{R"({sensor: "a", level: "high", t: 55.0})", R"({sensor: "a", t: 20.0})"});
}

TEST_CASE("rule emit that assigns a key field or active replaces it rather than repeating it") {
    StageRunner run("type: rule, when: temp > 50, key: [sensor], "
                    "emit: {on_set: {sensor: \"'renamed'\", t: temp}, on_clear: {active: false}}");
    auto out = feed(run, {55, 20});
    CHECK(show(out) == Lines{R"({sensor: "renamed", t: 55.0})", R"({sensor: "a", active: false})"});
    StageRunner keyed_active("type: rule, when: temp > 50, key: [active]");
    auto edges = keyed_active.push({make_event({{"active", 1}, {"temp", 60}}, 0)}, 0);
    CHECK(show(edges) == Lines{"{active: true}"});
}

TEST_CASE("rule emit on a timer evaluates against the latest event that kept the condition") {
    StageRunner run("type: rule, when: temp > 50, for: 5s, emit: {on_set: {t: temp}}");
    run.push({reading(55, "a", 100)}, 0);
    run.push({reading(65, "a", 200)}, 2 * kSecond);
    auto out = run.advance(5 * kSecond);
    CHECK(show(out) == Lines{"{t: 65.0}"});
}

TEST_CASE("rule emits nothing for an edge whose emit fails, and counts the error") {
    // The edge's event is built where it will be emitted: a failure half-way through must take
    // it back, not leave a half-filled event in the output.
    StageRunner run("type: rule, when: temp < 5, key: [sensor], "
                    "emit: {on_set: {a: temp, r: 100 / temp}, on_clear: {t: temp}}");
    auto out = run.push({reading(10), reading(0), reading(20), reading(2), reading(30)}, 0);
    CHECK(show(out) == Lines{R"({sensor: "a", t: 20.0})", R"({sensor: "a", a: 2.0, r: 50.0})",
                             R"({sensor: "a", t: 30.0})"});
    CHECK(run.stage().counters().errors == 1);
}

TEST_CASE("rule emits only the edges that emit names") {
    StageRunner run("type: rule, when: temp > 50, emit: {on_set: {go: true}}");
    CHECK(show(feed(run, {60, 40, 60})) == Lines{"{go: true}", "{go: true}"});
    StageRunner empty("type: rule, when: temp > 50, key: [sensor], emit: {on_clear: {}}");
    CHECK(show(feed(empty, {60, 40})) == Lines{R"({sensor: "a"})"});
}

TEST_CASE("rule edges keep the triggering event's time and source") {
    StageRunner run("type: rule, when: temp > 50");
    auto out = run.push({make_event({{"temp", 60}}, 1234, "probe")}, 5000);
    REQUIRE(out.size() == 1);
    CHECK(out[0].ts() == 1234);
    CHECK(symbol_name(out[0].source()) == "probe");
}

TEST_CASE("rule default clear is not when") {
    StageRunner run("type: rule, when: temp > 50");
    // A reading without temp makes `temp > 50` false, so `not when` holds and clears.
    auto out = run.push({reading(60), make_event({{"other", 1}})}, 0);
    CHECK(show(out) == Lines{"{active: true}", "{active: false}"});
}

TEST_CASE("rule counts an evaluation error and leaves the state as it was") {
    StageRunner run("type: rule, when: 100 / temp > 2");
    auto out = run.push({make_event({{"temp", 10}}), make_event({{"temp", 0}}),
                         make_event({{"temp", 100}}), make_event({{"temp", 0}})},
                        0);
    CHECK(show(out) == Lines{"{active: true}", "{active: false}"});
    CHECK(run.stage().counters().errors == 2);
}

TEST_CASE("rule keeps a state per key and evicts the least recently used at max_keys") {
    StageRunner run("type: rule, when: temp > 50, key: [sensor], max_keys: 2");
    run.push({reading(60, "a"), reading(60, "b"), reading(60, "c")}, 0);
    CHECK(run.stage().counters().evictions == 1);
    CHECK(run.stage().key_count() == 2);
    // a was forgotten, so its next hot reading sets it again.
    CHECK(show(run.push({reading(60, "a")}, 0)) == Lines{R"({sensor: "a", active: true})"});
    CHECK(run.push({reading(60, "c")}, 0).empty());
}

TEST_CASE("rule rejects bad expressions and unknown emit keys") {
    for (const char* bad : {"when: \"temp >\"", "when: temp > 1, clear: \"(\"",
                            "when: temp > 1, emit: {on_raise: {a: 1}}",
                            "when: temp > 1, emit: {on_set: [a]}", "for: 1s"}) {
        INFO(bad);
        Diagnostics d("f.yaml");
        CHECK(build_stage(std::string("type: rule, ") + bad, d) == nullptr);
        CHECK(d.has_errors());
    }
}
