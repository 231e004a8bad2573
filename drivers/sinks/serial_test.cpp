#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string serial_sink_yaml(const std::string& device, const std::string& extra = "") {
    return "version: 1\nsources:\n  in: {type: stdin}\nsinks:\n  out:\n    type: serial\n"
           "    inputs: [in]\n    device: " +
           device +
           "\n    baud: 9600\n    reconnect_min: 20ms\n    reconnect_max: 100ms\n"
           "    encode: template\n    template: \"SET {v}\\r\\n\"\n" +
           extra;
}

} // namespace

TEST_CASE("serial sink writes rendered commands to the device") {
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    SinkHarness h(serial_sink_yaml(pty.a()), "out");
    h.feed({R"({"v":1})", R"({"v":2})"});
    std::string received;
    REQUIRE(run_until(h.scheduler, [&] {
        pty.read_into(received);
        return received == "SET 1\r\nSET 2\r\n";
    }));
    REQUIRE(h.finish());
    CHECK(h.status().events_out == 2);
}

TEST_CASE("serial sink writes again once an unplugged device is back") {
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    SinkHarness h(serial_sink_yaml(pty.a()), "out");
    h.feed({R"({"v":1})"});
    std::string received;
    REQUIRE(run_until(h.scheduler, [&] {
        pty.read_into(received);
        return received == "SET 1\r\n";
    }));
    pty.stop();
    // The write meets the vanished device, which is retried until it is back.
    h.feed({R"({"v":2})"});
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    pty.start();
    received.clear();
    REQUIRE(run_until(h.scheduler, [&] {
        pty.read_into(received);
        return received.find("SET 2\r\n") != std::string::npos;
    }));
    CHECK(h.status().state == ComponentState::running);
    REQUIRE(h.finish());
    CHECK(h.status().events_out == 2);
    CHECK(h.status().events_dropped == 0);
}

TEST_CASE("a serial sink whose device is missing at start shows backoff until it appears") {
    sluice::test::TempDir dir;
    SinkHarness h(serial_sink_yaml(dir.path() + "/pty-a"), "out");
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    h.feed({R"({"v":7})"});
    PtyPair pty(dir.path());
    std::string received;
    REQUIRE(run_until(h.scheduler, [&] {
        pty.read_into(received);
        return received == "SET 7\r\n";
    }));
    CHECK(h.status().state == ComponentState::running);
    REQUIRE(h.finish());
}
