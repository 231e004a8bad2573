#include "drivers/test_support.hpp"
#include "tests/support/captured_stderr.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string file_yaml(const std::string& path, const std::string& extra = "") {
    return "version: 1\nsources:\n  in: {type: stdin}\nsinks:\n  out:\n    type: file\n"
           "    inputs: [in]\n    path: " +
           path + "\n" + extra;
}

std::vector<std::string> numbered(int from, int to) {
    std::vector<std::string> lines;
    for (int i = from; i < to; ++i) {
        lines.push_back("{\"i\":" + std::to_string(i) + "}");
    }
    return lines;
}

} // namespace

TEST_CASE("file sink appends encoded events and counts them") {
    sluice::test::TempDir dir;
    auto path = dir.file("out.jsonl");
    SinkHarness h(file_yaml(path), "out");
    h.feed(numbered(0, 3));
    REQUIRE(h.finish());
    CHECK(h.outcome == "ended");
    CHECK(sluice::test::read_lines(path) == numbered(0, 3));
    CHECK(h.status().events_in == 3);
    CHECK(h.status().events_out == 3);
    CHECK(h.status().bytes_out == 24);
}

TEST_CASE("file sink rotates before a file grows past rotate_bytes and keeps keep files") {
    sluice::test::TempDir dir;
    auto path = dir.file("out.log");
    // Each event is 9 bytes ({"i":N}\n for N < 10); 20 bytes hold two.
    SinkHarness h(file_yaml(path, "    rotate_bytes: 20\n    keep: 2\n"), "out");
    for (int i = 0; i < 9; ++i) {
        h.feed(numbered(i, i + 1));
        REQUIRE(run_until(h.scheduler, [&] { return h.status().events_out == unsigned(i + 1); }));
    }
    REQUIRE(h.finish());
    CHECK(sluice::test::read_lines(path) == numbered(8, 9));
    CHECK(sluice::test::read_lines(path + ".1") == numbered(6, 8));
    CHECK(sluice::test::read_lines(path + ".2") == numbered(4, 6));
    CHECK_FALSE(std::filesystem::exists(path + ".3"));
}

TEST_CASE("a file sink whose new file cannot be created at a rotation keeps the batch and "
          "writes it once the file opens again") {
    sluice::test::TempDir dir;
    auto sub = dir.file("logs");
    auto away = dir.file("logs.away");
    std::filesystem::create_directory(sub);
    auto path = sub + "/out.log";
    SinkHarness h(file_yaml(path, "    rotate_bytes: 20\n    keep: 3\n"
                                  "    reconnect_min: 5ms\n    reconnect_max: 20ms\n"),
                  "out");
    h.feed(numbered(0, 2));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().events_out == 2; }));
    // The directory is gone when the next batch rotates: the new file cannot be created.
    std::filesystem::rename(sub, away);
    h.feed(numbered(2, 3));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    // Retried, not given up on; the batch is held, not lost.
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors >= 3; }));
    CHECK(h.status().events_dropped == 0);
    CHECK(h.status().queue_depth == 1);
    h.feed(numbered(3, 4));
    CHECK(h.status().queue_depth == 2);

    std::filesystem::rename(away, sub);
    REQUIRE(run_until(h.scheduler, [&] { return h.status().events_out == 4; }));
    CHECK(h.status().state == ComponentState::running);
    REQUIRE(h.finish());
    CHECK(h.status().events_dropped == 0);
    CHECK(h.status().queue_depth == 0);
    // Every event arrived, in order, and the rotation happened once the file could be made.
    CHECK(sluice::test::read_lines(path + ".1") == numbered(0, 2));
    CHECK(sluice::test::read_lines(path) == numbered(2, 4));
}

TEST_CASE("a file sink aborted while it waits to reopen after a rotation counts the batch as "
          "dropped") {
    sluice::test::TempDir dir;
    auto sub = dir.file("logs");
    std::filesystem::create_directory(sub);
    SinkHarness h(file_yaml(sub + "/out.log", "    rotate_bytes: 20\n    reconnect_min: 5ms\n"),
                  "out");
    h.feed(numbered(0, 2));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().events_out == 2; }));
    std::filesystem::remove_all(sub);
    h.feed(numbered(2, 4));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    // Stopped, it still tries to deliver what it holds...
    h.sink->stop();
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors >= 3; }));
    CHECK(h.scope.active() == 1);
    // ...until the daemon gives up on the drain.
    h.sink->abort("test gives up");
    REQUIRE(run_until(h.scheduler, [&] { return h.scope.active() == 0; }));
    CHECK(h.status().events_in == 4);
    CHECK(h.status().events_out == 2);
    CHECK(h.status().events_dropped == 2);
    CHECK(h.status().queue_depth == 0);
}

TEST_CASE("a csv file sink writes its header at the start of each new file") {
    sluice::test::TempDir dir;
    auto path = dir.file("out.csv");
    SinkHarness h(file_yaml(path, "    encode: csv\n    columns: [i]\n    header: true\n"
                                  "    rotate_bytes: 5\n    keep: 1\n"),
                  "out");
    h.feed(numbered(0, 1));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().events_out == 1; }));
    h.feed(numbered(1, 2));
    REQUIRE(h.finish());
    CHECK(sluice::test::read_lines(path + ".1") == std::vector<std::string>{"i", "0"});
    CHECK(sluice::test::read_lines(path) == std::vector<std::string>{"i", "1"});
}

TEST_CASE("a file sink whose directory is missing backs off and writes everything once it "
          "exists") {
    sluice::test::TempDir dir;
    auto later = dir.file("later");
    auto path = later + "/out.jsonl";
    SinkHarness h(file_yaml(path, "    reconnect_min: 5ms\n    reconnect_max: 20ms\n"), "out");
    h.feed(numbered(0, 3));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    CHECK(h.status().errors >= 1);
    CHECK(h.status().last_error.find("cannot open") != std::string::npos);
    CHECK(h.status().queue_depth == 3);
    // Retried, not given up on: a second failure shows in the error count.
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors >= 2; }));
    CHECK(h.status().state == ComponentState::backoff);

    std::filesystem::create_directory(later);
    REQUIRE(run_until(h.scheduler, [&] { return h.status().events_out == 3; }));
    CHECK(h.status().state == ComponentState::running);
    h.feed(numbered(3, 5));
    REQUIRE(h.finish());
    CHECK(sluice::test::read_lines(path) == numbered(0, 5));
    CHECK(h.status().events_dropped == 0);
}

TEST_CASE("a file sink that never opened counts what it held as dropped when aborted") {
    sluice::test::TempDir dir;
    SinkHarness h(file_yaml(dir.file("missing/out.jsonl"), "    reconnect_min: 5ms\n"), "out");
    h.feed(numbered(0, 4));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    // Stopped with events queued, it goes on trying to deliver them...
    h.sink->stop();
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors >= 2; }));
    CHECK(h.scope.active() == 1);
    // ...until the daemon gives up on the drain.
    h.sink->abort("test gives up");
    REQUIRE(run_until(h.scheduler, [&] { return h.scope.active() == 0; }));
    CHECK(h.outcome == "cancelled");
    CHECK(h.status().events_in == 4);
    CHECK(h.status().events_dropped == 4);
    CHECK(h.status().queue_depth == 0);
    CHECK(h.status().state == ComponentState::stopped);
}

TEST_CASE("a file sink that never opened and holds nothing ends at once when stopped") {
    sluice::test::TempDir dir;
    SinkHarness h(
        file_yaml(dir.file("missing/out.jsonl"), "    reconnect_min: 1h\n    reconnect_max: 1h\n"),
        "out");
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    REQUIRE(h.finish(std::chrono::seconds(2)));
    CHECK(h.outcome == "ended");
    CHECK(h.status().state == ComponentState::stopped);
}

TEST_CASE("null sink counts events as sent") {
    SinkHarness h("version: 1\nsources:\n  in: {type: stdin}\nsinks:\n  out: {type: null, "
                  "inputs: [in]}\n",
                  "out");
    h.feed(numbered(0, 100));
    REQUIRE(h.finish());
    CHECK(h.status().events_out == 100);
}

TEST_CASE("a file sink that cannot write logs a few failures per interval and counts the rest") {
    sluice::test::CapturedStderr captured;
    {
        SinkHarness h(file_yaml("/dev/full"), "out");
        for (int i = 0; i < 50; ++i) {
            h.feed(numbered(i, i + 1)); // one batch, one failed write each
            REQUIRE(run_until(h.scheduler, [&] { return h.status().events_dropped == i + 1u; }));
        }
        REQUIRE(h.finish());
        CHECK(h.status().errors == 50);
        CHECK(h.status().events_out == 0);
        CHECK(sluice::test::count_of(captured.text(), "write failed") == 5);
    }
    // The sink has ended: what its log kept quiet is counted.
    CHECK(sluice::test::count_of(captured.text(), "error: out: write failed: write: no space") ==
          5);
    CHECK(sluice::test::count_of(captured.text(), "error: out: suppressed 45 similar messages\n") ==
          1);
}
