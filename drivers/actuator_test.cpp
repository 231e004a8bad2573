#include "drivers/actuator.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string actuator_yaml(const std::string& path, const std::string& extra) {
    return "version: 1\nsources:\n  in: {type: stdin}\nactuators:\n  fan:\n    type: file\n"
           "    inputs: [in]\n    path: " +
           path + "\n    encode: template\n    template: \"FAN {on}\\n\"\n" + extra;
}

std::string on(int value) {
    return "{\"on\":" + std::to_string(value) + "}";
}

} // namespace

TEST_CASE("an actuator with on_change_only sends only commands that differ from the last") {
    sluice::test::TempDir dir;
    auto path = dir.file("fan");
    SinkHarness h(actuator_yaml(path, "    on_change_only: true\n"), "fan");
    h.feed({on(1), on(1), on(0)});
    REQUIRE(run_until(h.scheduler, [&] { return h.status().queue_depth == 0; }));
    h.feed({on(0), on(1), on(1)});
    REQUIRE(h.finish());
    CHECK(sluice::test::read_file(path) == "FAN 1\nFAN 0\nFAN 1\n");
    CHECK(h.status().events_in == 6);
    CHECK(h.status().events_out == 3);
    CHECK(h.status().events_dropped == 3);
}

TEST_CASE("an actuator never commands faster than min_interval and the latest command wins") {
    sluice::test::TempDir dir;
    auto path = dir.file("fan");
    SinkHarness h(actuator_yaml(path, "    min_interval: 300ms\n"), "fan");
    auto start = std::chrono::steady_clock::now();
    h.feed({on(1)});
    REQUIRE(run_until(h.scheduler, [&] { return sluice::test::read_file(path) == "FAN 1\n"; }));
    h.feed({on(2)});
    // The command waits for min_interval: out of the queue, still counted in its depth.
    REQUIRE(run_until(h.scheduler, [&] {
        return h.status().events_dropped == 0 && h.status().queue_depth == 1 &&
               h.status().events_out == 1;
    }));
    CHECK(h.status().events_in ==
          h.status().events_out + h.status().events_dropped + h.status().queue_depth);
    h.feed({on(3)});
    REQUIRE(
        run_until(h.scheduler, [&] { return sluice::test::read_file(path) == "FAN 1\nFAN 3\n"; }));
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
    REQUIRE(h.finish());
    CHECK(sluice::test::read_file(path) == "FAN 1\nFAN 3\n");
    CHECK(h.status().events_out == 2);
    CHECK(h.status().events_dropped == 1);
    CHECK(h.status().events_in ==
          h.status().events_out + h.status().events_dropped + h.status().queue_depth);
}

TEST_CASE("an actuator writes its safe state on shutdown, dropping a waiting command") {
    sluice::test::TempDir dir;
    auto path = dir.file("fan");
    SinkHarness h(actuator_yaml(path, "    min_interval: 10s\n    safe_state: \"FAN 0\\n\"\n"),
                  "fan");
    h.feed({on(1)});
    REQUIRE(run_until(h.scheduler, [&] { return sluice::test::read_file(path) == "FAN 1\n"; }));
    h.feed({on(2)}); // waits for min_interval, then shutdown comes first
    REQUIRE(run_until(h.scheduler, [&] { return h.status().queue_depth == 1; }));
    REQUIRE(h.finish());
    CHECK(h.status().queue_depth == 0);
    CHECK(sluice::test::read_file(path) == "FAN 1\nFAN 0\n");
    CHECK(h.status().events_dropped == 1);
}

TEST_CASE("an actuator writes its safe state when its inputs go stale, once") {
    sluice::test::TempDir dir;
    auto path = dir.file("fan");
    SinkHarness h(actuator_yaml(path, "    on_change_only: true\n    safe_state: \"FAN 0\\n\"\n"
                                      "    stale_after: 150ms\n"),
                  "fan");
    h.feed({on(1)});
    REQUIRE(
        run_until(h.scheduler, [&] { return sluice::test::read_file(path) == "FAN 1\nFAN 0\n"; }));
    run_until(
        h.scheduler, [] { return false; }, std::chrono::milliseconds(400));
    CHECK(sluice::test::read_file(path) == "FAN 1\nFAN 0\n"); // not written again
    // The same command as before the safe state goes out again: the device changed.
    h.feed({on(1)});
    REQUIRE(run_until(h.scheduler,
                      [&] { return sluice::test::read_file(path) == "FAN 1\nFAN 0\nFAN 1\n"; }));
    REQUIRE(h.finish());
    CHECK(sluice::test::read_file(path) == "FAN 1\nFAN 0\nFAN 1\nFAN 0\n");
}

TEST_CASE("stale_after without safe_state is a config error") {
    sluice::test::TempDir dir;
    auto config = component(actuator_yaml(dir.file("fan"), "    stale_after: 1s\n"), "fan");
    Diagnostics diagnostics;
    CHECK_FALSE(actuator_settings(config, diagnostics) == std::nullopt);
    CHECK(diagnostics.has_errors());
}

TEST_CASE("a serial actuator round trip: commands reach the device, safe state on shutdown") {
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    SinkHarness h("version: 1\nsources:\n  in: {type: stdin}\nactuators:\n  relay:\n"
                  "    type: serial\n    inputs: [in]\n    device: " +
                      pty.a() +
                      "\n    encode: template\n    template: \"R{on}\\n\"\n"
                      "    on_change_only: true\n    safe_state: \"R0\\n\"\n",
                  "relay");
    std::string received;
    h.feed({on(1), on(1)});
    REQUIRE(run_until(h.scheduler, [&] {
        pty.read_into(received);
        return received == "R1\n";
    }));
    h.feed({on(2)});
    REQUIRE(h.finish());
    REQUIRE(run_until(h.scheduler, [&] {
        pty.read_into(received);
        return received == "R1\nR2\nR0\n";
    }));
}

TEST_CASE("on_change_only with min_interval drops a waiting command equal to one written late") {
    // The first command waits for the device; meanwhile a change and a change back leave a
    // waiting command equal to it, which must not be written a second time.
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    pty.stop();
    SinkHarness h("version: 1\nsources:\n  in: {type: stdin}\nactuators:\n  relay:\n"
                  "    type: serial\n    inputs: [in]\n    device: " +
                      pty.a() +
                      "\n    encode: template\n    template: \"R{on}\\n\"\n"
                      "    on_change_only: true\n    min_interval: 100ms\n"
                      "    reconnect_max: 100ms\n",
                  "relay");
    h.feed({on(1)});
    REQUIRE(run_until(h.scheduler, [&] { return h.status().queue_depth == 1; }));
    h.feed({on(0), on(1)});
    REQUIRE(run_until(h.scheduler, [&] { return h.status().queue_depth == 2; }));
    pty.start();
    std::string received;
    REQUIRE(run_until(h.scheduler, [&] {
        pty.read_into(received);
        return h.status().queue_depth == 0 && received == "R1\n";
    }));
    // Well past min_interval: nothing more comes.
    run_until(
        h.scheduler, [] { return false; }, std::chrono::milliseconds(300));
    pty.read_into(received);
    CHECK(received == "R1\n");
    CHECK(h.status().events_out == 1);
    CHECK(h.status().events_dropped == 2);
    REQUIRE(h.finish());
}
