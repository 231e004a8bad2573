#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

Event ping(std::string_view sensor) {
    return make_event({{"sensor", sensor}, {"temp", 20}});
}

} // namespace

TEST_CASE("stale reports a key that has been silent for the timeout, with its key fields") {
    StageRunner run("type: stale, timeout: 5s, key: [sensor]");
    CHECK(run.push({ping("a")}, 0).empty());
    CHECK(run.stage().next_deadline() == 5 * kSecond);
    CHECK(run.advance(5 * kSecond - 1).empty());
    auto out = run.advance(5 * kSecond);
    CHECK(show(out) == Lines{R"({sensor: "a", stale: true})"});
    CHECK(out[0].ts() == 5 * kSecond);
    CHECK(run.advance(60 * kSecond).empty());
}

TEST_CASE("stale reports the return of a stale key once") {
    StageRunner run("type: stale, timeout: 5s, key: [sensor]");
    run.push({ping("a")}, 0);
    run.advance(10 * kSecond);
    CHECK(show(run.push({ping("a"), ping("a")}, 11 * kSecond)) ==
          Lines{R"({sensor: "a", stale: false})"});
    CHECK(show(run.advance(16 * kSecond)) == Lines{R"({sensor: "a", stale: true})"});
}

TEST_CASE("stale does not report keys that keep talking") {
    StageRunner run("type: stale, timeout: 5s, key: [sensor]");
    for (int s = 0; s < 60; s += 4) {
        CHECK(run.advance(s * kSecond).empty());
        run.push({ping("a")}, s * kSecond);
    }
}

TEST_CASE("stale never reports a key it has not seen") {
    StageRunner run("type: stale, timeout: 1s, key: [sensor]");
    CHECK(run.stage().next_deadline() == kNever);
    run.push({ping("a")}, 0);
    CHECK(show(run.advance(3 * kSecond)) == Lines{R"({sensor: "a", stale: true})"});
    run.push({ping("b")}, 3 * kSecond);
    CHECK(run.stage().next_deadline() == 4 * kSecond);
}

TEST_CASE("stale without key watches the input as a whole") {
    StageRunner run("type: stale, timeout: 1s");
    run.push({ping("a")}, 0);
    run.push({ping("b")}, kSecond / 2);
    CHECK(show(run.advance(2 * kSecond)) == Lines{"{stale: true}"});
}

TEST_CASE("stale rejects a zero timeout") {
    Diagnostics d("f.yaml");
    CHECK(build_stage("type: stale, timeout: 0s", d) == nullptr);
}

TEST_CASE("stale times out many keys in order of their deadlines") {
    StageRunner run("type: stale, timeout: 10s, key: [sensor], max_keys: 100000");
    constexpr int kKeys = 50000;
    Nanos last = 0;
    std::size_t reports = 0;
    auto check = [&](const EventBatch& out) {
        for (const auto& e : out) {
            CHECK(e.ts() >= last);
            last = e.ts();
            ++reports;
        }
    };
    for (int i = 0; i < kKeys; ++i) {
        // Keys arrive in a scrambled order, each at its own time; timers run as they come due.
        int k = (i * 7919) % kKeys;
        check(run.advance(i * kMillisecond));
        check(run.push({make_event({{"sensor", k}})}, i * kMillisecond));
    }
    check(run.advance(70 * kSecond));
    CHECK(reports == kKeys);
    CHECK(last == (kKeys - 1) * kMillisecond + 10 * kSecond);
    CHECK(run.stage().next_deadline() == kNever);
    CHECK(run.stage().key_count() == kKeys);
}
