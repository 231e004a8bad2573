#include "drivers/runtime/scope.hpp"
#include "drivers/sources/serial.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string serial_yaml(const std::string& device, const std::string& extra = "") {
    return "version: 1\nsources:\n  tty:\n    type: serial\n    device: " + device +
           "\n    baud: 115200\n    reconnect_min: 20ms\n    reconnect_max: 100ms\n" + extra +
           "sinks:\n  out: {type: null, inputs: [tty]}\n";
}

struct Harness {
    Scheduler scheduler;
    Scope scope{scheduler};
    CollectingOutput output{scheduler};
    std::unique_ptr<Source> source;
    std::string outcome;

    explicit Harness(const ComponentConfig& config) {
        Diagnostics diagnostics;
        source = SerialSource::make(config, diagnostics);
        REQUIRE(source);
        scope.spawn(run_source(source.get(), &scheduler, &output, &outcome), "tty");
    }
    ~Harness() {
        source->stop();
        run_until(scheduler, [&] { return scope.active() == 0; });
        scheduler.run();
        CHECK(scheduler.close());
    }
    ComponentState state() { return source->status().state; }
};

} // namespace

TEST_CASE("serial source decodes lines written by the device") {
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    Harness h(component(serial_yaml(pty.a()), "tty"));
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::running; }));
    pty.write("{\"t\":1}\n{\"t\":2}\n{\"t\":");
    pty.write("3}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 3; }));
    CHECK(h.output.lines == std::vector<std::string>{R"({"t":1})", R"({"t":2})", R"({"t":3})"});
    CHECK(h.source->status().events_in == 3);
    CHECK(h.source->status().bytes_in == 24);
}

TEST_CASE("serial source survives unplug and replug at the same path") {
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    Harness h(component(serial_yaml(pty.a()), "tty"));
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::running; }));
    pty.write("{\"n\":1}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));

    pty.stop(); // unplug
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::backoff; }));
    // Backoff does not spin: a few retries at most while the device is away.
    auto errors_while_away = h.source->status().errors;
    run_until(
        h.scheduler, [] { return false; }, std::chrono::milliseconds(300));
    CHECK(h.state() == ComponentState::backoff);
    CHECK(h.source->status().errors == errors_while_away);

    pty.start(); // replug
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::running; }));
    pty.write("{\"n\":2}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 2; }));
    CHECK(h.output.lines.back() == R"({"n":2})");
    CHECK(h.outcome.empty()); // still running
}

TEST_CASE("serial source waits for a device that is missing at start") {
    sluice::test::TempDir dir;
    auto device = dir.file("pty-a");
    Harness h(component(serial_yaml(device), "tty"));
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::backoff; }));
    CHECK(h.source->status().last_error.find("no such file") != std::string::npos);
    PtyPair pty(dir.path());
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::running; }));
    pty.write("{\"late\":true}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
}

TEST_CASE("serial source counts malformed input and keeps going") {
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    Harness h(
        component(serial_yaml(pty.a(), "    decode: nmea\n    max_frame_bytes: 1KiB\n"), "tty"));
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::running; }));
    std::mt19937 random(7);
    std::string noise(20000, '\0');
    for (auto& c : noise) {
        c = static_cast<char>(random() % 256);
        if (c == '\n') {
            c = 'x';
        }
    }
    pty.write(noise + "\n");
    pty.write("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*00\n");
    pty.write("\xff\xfe invalid utf-8 \xc3\x28\n");
    pty.write("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
    CHECK(h.source->status().errors >= 3);
    INFO(h.output.lines[0]);
    CHECK(h.output.lines[0].find("\"satellites\":8") != std::string::npos);
}

TEST_CASE("serial source stops reading while its sinks are full") {
    sluice::test::TempDir dir;
    PtyPair pty(dir.path());
    Harness h(component(serial_yaml(pty.a()), "tty"));
    REQUIRE(run_until(h.scheduler, [&] { return h.state() == ComponentState::running; }));
    h.output.set_accepting(false);
    // A read already waiting completes; the next one waits for room.
    pty.write("{\"a\":1}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
    pty.write("{\"a\":2}\n");
    run_until(
        h.scheduler, [] { return false; }, std::chrono::milliseconds(100));
    CHECK(h.output.lines.size() == 1);
    h.output.set_accepting(true);
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 2; }));
}

TEST_CASE("serial options reject an unsupported baud rate") {
    Diagnostics diagnostics;
    auto config = component(serial_yaml("/dev/null"), "tty");
    config.options.set("baud", ConfigNode::make_scalar("12345", {}));
    CHECK_FALSE(SerialSource::make(config, diagnostics));
    REQUIRE(diagnostics.has_errors());
    CHECK(diagnostics.all()[0].message.find("unsupported baud rate 12345") != std::string::npos);
}
