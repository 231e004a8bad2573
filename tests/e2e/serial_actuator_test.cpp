// End-to-end: the real sluice binary between socat pseudo-terminals acting as serial devices.

#include "tests/e2e/peers.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;
using namespace std::chrono_literals;

TEST_CASE("serial sensor to threshold to serial actuator, across an unplug, safe state on "
          "SIGTERM") {
    TempDir dir;
    PtyPair sensor(dir.file("sensor"));
    PtyPair fan(dir.file("fan"));
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + dir.file("status.sock") +
                                                 R"(}
sources:
  sensor:
    type: serial
    device: )" + sensor.a() + R"(
    baud: 115200
    reconnect_min: 20ms
    reconnect_max: 200ms
stages:
  hot:
    type: threshold
    inputs: [sensor]
    field: temp
    above: 30
actuators:
  fan:
    type: serial
    inputs: [hot]
    device: )" + fan.a() + R"(
    encode: template
    template: "FAN {alarm:d}\n"
    on_change_only: true
    safe_state: "FAN 0\n"
)");
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    auto status = dir.file("status.sock");
    REQUIRE(wait_until([&] { return count(sluice.stderr_text(), "state running: opened") == 2; }));

    sensor.write("{\"temp\":25}\n{\"temp\":35}\n");
    REQUIRE(wait_until([&] { return fan.received() == "FAN 1\n"; }));
    sensor.write("{\"temp\":20}\n");
    REQUIRE(wait_until([&] { return fan.received() == "FAN 1\nFAN 0\n"; }));

    // Unplug the sensor: the source backs off and the daemon keeps running.
    sensor.stop();
    REQUIRE(wait_until(
        [&] { return sluice.stderr_text().find("sensor: state backoff") != std::string::npos; }));
    // The hang-up reads as one, not as libuv's name for POLLERR ("bad file descriptor").
    CHECK(sluice.stderr_text().find("went away (hang-up") != std::string::npos);
    CHECK(sluice.stderr_text().find("bad file descriptor") == std::string::npos);
    REQUIRE(
        wait_until([&] { return component_value(status, "sensor", "state") == "\"backoff\""; }));
    CHECK_FALSE(sluice.wait(0ms));
    // Replug at the same path: the source is running again and data flows.
    sensor.start();
    REQUIRE(wait_until(
        [&] { return count(sluice.stderr_text(), "sensor: state running: opened") == 2; }));
    REQUIRE(
        wait_until([&] { return component_value(status, "sensor", "state") == "\"running\""; }));
    sensor.write("{\"temp\":40}\n");
    REQUIRE(wait_until([&] { return fan.received() == "FAN 1\nFAN 0\nFAN 1\n"; }));
    CHECK(component_value(status, "sensor", "errors") == "1"); // the unplug
    CHECK(component_value(status, "sensor", "events_out") == "4");
    CHECK(component_value(status, "fan", "events_out") == "3");

    // SIGTERM: the actuator's device gets the safe state before the daemon exits.
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);
    // socat relays the last bytes on its own time.
    CHECK(wait_until([&] { return fan.received() == "FAN 1\nFAN 0\nFAN 1\nFAN 0\n"; }));
    auto log = sluice.stderr_text();
    CHECK(log.find("fan: shutdown: wrote safe_state") != std::string::npos);
    INFO(log);
    CHECK(log.find("error: sensor") == std::string::npos);
    CHECK(log.find("error: fan") == std::string::npos);
}

TEST_CASE("a serial source whose device is missing at start waits for it") {
    TempDir dir;
    auto out = dir.file("out.jsonl");
    auto device = dir.file("late-a");
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + dir.file("status.sock") +
                                                 R"(}
sources:
  late:
    type: serial
    device: )" + device + R"(
    reconnect_min: 20ms
    reconnect_max: 100ms
sinks:
  out: {type: file, inputs: [late], path: )" + out +
                                                 R"(}
)");
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    REQUIRE(wait_until(
        [&] { return sluice.stderr_text().find("late: state backoff") != std::string::npos; }));
    PtyPair pty(dir.file("late"));
    REQUIRE(wait_until(
        [&] { return sluice.stderr_text().find("late: state running") != std::string::npos; }));
    pty.write("{\"hello\":\"world\"}\n");
    REQUIRE(wait_until([&] { return read_file(out) == "{\"hello\":\"world\"}\n"; }));
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);
}
