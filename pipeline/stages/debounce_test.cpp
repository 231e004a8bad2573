#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

Event press(int n, std::string_view button = "a") {
    return make_event({{"button", button}, {"n", n}});
}

} // namespace

TEST_CASE("debounce emits the last event of a key once it has been quiet for the period") {
    StageRunner run("type: debounce, for: 100ms");
    CHECK(run.push({press(1), press(2)}, 0).empty());
    CHECK(run.push({press(3)}, 50 * kMillisecond).empty());
    CHECK(run.advance(149 * kMillisecond).empty());
    CHECK(show(run.advance(150 * kMillisecond)) == Lines{R"({button: "a", n: 3})"});
    CHECK(run.stage().next_deadline() == kNever);
    CHECK(run.stage().counters().dropped == 2);
    CHECK(run.stage().buffered() == 0);
    CHECK(run.stage().key_count() == 0);
}

TEST_CASE("debounce restarts the quiet period with every event") {
    StageRunner run("type: debounce, for: 1s");
    for (int i = 0; i < 10; ++i) {
        run.push({press(i)}, i * 500 * kMillisecond);
        CHECK(run.advance(i * 500 * kMillisecond + 999 * kMillisecond).empty());
    }
    CHECK(show(run.advance(100 * kSecond)) == Lines{R"({button: "a", n: 9})"});
}

TEST_CASE("debounce keeps keys apart and counts held events as buffered") {
    StageRunner run("type: debounce, for: 1s, key: [button]");
    run.push({press(1, "a"), press(1, "b")}, 0);
    run.push({press(2, "b")}, kSecond / 2);
    CHECK(run.stage().buffered() == 2);
    CHECK(show(run.advance(kSecond)) == Lines{R"({button: "a", n: 1})"});
    CHECK(run.stage().buffered() == 1);
    CHECK(show(run.advance(2 * kSecond)) == Lines{R"({button: "b", n: 2})"});
    auto& c = run.stage().counters();
    // received 3 == sent 2 + dropped 1 + buffered 0
    CHECK(c.dropped == 1);
}

TEST_CASE("debounce emits due events before a batch that arrives after their deadline") {
    StageRunner run("type: debounce, for: 1s");
    run.push({press(1)}, 0);
    // The loop did not get to run the timer before the next batch at 2s.
    CHECK(show(run.push({press(2)}, 2 * kSecond)) == Lines{R"({button: "a", n: 1})"});
    CHECK(show(run.advance(3 * kSecond)) == Lines{R"({button: "a", n: 2})"});
}

TEST_CASE("debounce flushes the held event of a key evicted at max_keys") {
    StageRunner run("type: debounce, for: 1s, key: [button], max_keys: 2");
    run.push({press(1, "a"), press(1, "b")}, 0);
    CHECK(show(run.push({press(1, "c")}, 0)) == Lines{R"({button: "a", n: 1})"});
    CHECK(run.stage().counters().evictions == 1);
    CHECK(run.stage().buffered() == 2);
    CHECK(run.advance(kSecond).size() == 2);
}

TEST_CASE("debounce flush emits every held event at once, the earliest due first") {
    StageRunner run("type: debounce, for: 1s, key: [button]");
    run.push({press(1, "a"), press(1, "b")}, 0);
    run.push({press(2, "a")}, 100 * kMillisecond); // a is now due after b
    CHECK(show(run.flush(200 * kMillisecond)) ==
          Lines{R"({button: "b", n: 1})", R"({button: "a", n: 2})"});
    CHECK(run.stage().buffered() == 0);
    CHECK(run.stage().key_count() == 0);
    CHECK(run.stage().next_deadline() == kNever);
    CHECK(run.stage().counters().dropped == 1);
    CHECK(run.flush(kSecond).empty());
}
