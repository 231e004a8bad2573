#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::vector<Event> events(int count, std::string_view key = "a") {
    std::vector<Event> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(make_event({{"k", key}, {"n", i}}));
    }
    return out;
}

} // namespace

TEST_CASE("throttle passes a burst of rate events and drops the excess") {
    StageRunner run("type: throttle, rate: 10/s");
    CHECK(run.push(events(25), 0).size() == 10);
    CHECK(run.stage().counters().dropped == 15);
}

TEST_CASE("throttle refills one event per interval") {
    StageRunner run("type: throttle, rate: 10/s");
    run.push(events(10), 0);
    CHECK(run.push(events(5), 99 * kMillisecond).empty());
    CHECK(run.push(events(5), 100 * kMillisecond).size() == 1);
    CHECK(run.push(events(5), 300 * kMillisecond).size() == 2);
    // A second later the bucket is full again, but holds no more than rate events.
    CHECK(run.push(events(20), 5 * kSecond).size() == 10);
}

TEST_CASE("throttle holds the long-run rate over a steady overload") {
    StageRunner run("type: throttle, rate: 5/250ms");
    std::size_t passed = 0;
    for (int ms = 0; ms < 10000; ++ms) {
        passed += run.push(events(1), ms * kMillisecond).size();
    }
    // 20 per second for 10 s, plus the initial burst of 5 (less the one event of the last refill).
    CHECK(passed >= 200);
    CHECK(passed <= 205);
}

TEST_CASE("throttle keeps a bucket per key") {
    StageRunner run("type: throttle, rate: 1/s, key: [k]");
    auto batch = events(3, "a");
    auto b = events(3, "b");
    batch.insert(batch.end(), b.begin(), b.end());
    CHECK(run.push(std::move(batch), 0).size() == 2);
    CHECK(run.stage().key_count() == 2);
}

TEST_CASE("throttle with a fractional rate allows one event at a time") {
    StageRunner run("type: throttle, rate: 0.5/s");
    CHECK(run.push(events(3), 0).size() == 1);
    CHECK(run.push(events(1), kSecond).empty());
    CHECK(run.push(events(1), 2 * kSecond).size() == 1);
}

TEST_CASE("throttle rejects a rate of zero") {
    Diagnostics d("f.yaml");
    CHECK(build_stage("type: throttle, rate: 0/s", d) == nullptr);
    CHECK(d.format_all().find("more than 0") != std::string::npos);
}

TEST_CASE("throttle keeps at most max_keys keys under high-cardinality input") {
    StageRunner run("type: throttle, rate: 1/s, key: [k], max_keys: 100");
    std::vector<Event> batch;
    for (int i = 0; i < 10000; ++i) {
        batch.push_back(make_event({{"k", i}}));
    }
    CHECK(run.push(std::move(batch), 0).size() == 10000); // every key is new, so each passes
    CHECK(run.stage().key_count() == 100);
    CHECK(run.stage().counters().evictions == 9900);
}

TEST_CASE("throttle accepts extreme rates") {
    StageRunner slow("type: throttle, rate: 1e-300/s");
    CHECK(slow.push(events(3), 0).size() == 1);
    StageRunner fast("type: throttle, rate: 1e300/s");
    CHECK(fast.push(events(300), 0).size() == 300);
}
