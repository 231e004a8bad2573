// bench_serial_rtt: command round-trip latency through a serial source, a rule and a serial
// actuator. Opens two pseudo-terminal pairs (what socat's pty address makes, without a relay
// process in between), prints their device paths as one JSON line for the daemon's config,
// then repeatedly writes a reading to the sensor pty and times how long the actuator's
// command takes to come back on the other. Readings alternate hot and cold, so each one
// flips the rule and yields exactly one command. Prints one JSON line with the percentiles.

#include "bench/support/args.hpp"
#include "bench/support/clock.hpp"
#include "bench/support/latency.hpp"
#include "bench/support/net.hpp"

#include <cstdio>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <termios.h>
#include <unistd.h>

using namespace sluice::bench;

namespace {

/// A pty pair: the master stays with this tool; the daemon opens `path`. The tool also keeps
/// the slave open so the master never sees a hang-up while the daemon opens and closes it.
struct Pty {
    int master = -1;
    int slave = -1;
    std::string path;
};

Pty open_pty() {
    Pty pty;
    pty.master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (pty.master < 0 || ::grantpt(pty.master) != 0 || ::unlockpt(pty.master) != 0) {
        throw_errno("posix_openpt");
    }
    pty.path = ::ptsname(pty.master);
    pty.slave = ::open(pty.path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (pty.slave < 0) {
        throw_errno("open " + pty.path);
    }
    termios mode{};
    ::tcgetattr(pty.slave, &mode);
    ::cfmakeraw(&mode);
    ::tcsetattr(pty.slave, TCSANOW, &mode);
    return pty;
}

/// Reads from the actuator pty until a whole command line has arrived; false on timeout.
bool read_command(int fd, int timeout_ms, std::string& pending) {
    auto deadline = mono_ns() + std::int64_t{timeout_ms} * 1'000'000;
    while (pending.find('\n') == std::string::npos) {
        auto left = static_cast<int>((deadline - mono_ns()) / 1'000'000);
        if (left <= 0 || !wait_readable(fd, left)) {
            return false;
        }
        char bytes[256];
        auto n = ::read(fd, bytes, sizeof bytes);
        if (n <= 0) {
            return false;
        }
        pending.append(bytes, static_cast<std::size_t>(n));
    }
    pending.erase(0, pending.find('\n') + 1);
    return true;
}

std::string reading(std::uint64_t i) {
    return std::string("{\"temp\":") + (i % 2 == 0 ? "95.5" : "20.5") +
           ",\"seq\":" + std::to_string(i) + "}\n";
}

} // namespace

int main(int argc, char** argv) {
    try {
        Args args(argc, argv, {"count", "interval-ms", "timeout-ms"});
        auto count = static_cast<std::uint64_t>(args.integer("count", 1000));
        auto interval_ns = args.integer("interval-ms", 5) * 1'000'000;
        auto timeout_ms = static_cast<int>(args.integer("timeout-ms", 10'000));
        auto sensor = open_pty();
        auto actuator = open_pty();
        std::printf("{\"sensor\":\"%s\",\"actuator\":\"%s\"}\n", sensor.path.c_str(),
                    actuator.path.c_str());
        std::fflush(stdout);

        // Until the daemon has opened both devices, readings may be lost: repeat one until
        // its command comes back, then make sure nothing else is in flight.
        std::string pending;
        std::uint64_t seq = 0;
        auto give_up = mono_ns() + std::int64_t{timeout_ms} * 1'000'000;
        while (true) {
            write_all(sensor.master, reading(seq++));
            if (read_command(actuator.master, 200, pending)) {
                break;
            }
            if (mono_ns() > give_up) {
                throw std::runtime_error("no command came back within the timeout");
            }
        }
        while (read_command(actuator.master, 100, pending)) {
        }
        pending.clear();

        LatencyRecorder rtt;
        std::uint64_t lost = 0;
        for (std::uint64_t i = 0; i < count; ++i, ++seq) {
            auto next = mono_ns() + interval_ns;
            auto line = reading(seq);
            auto start = mono_ns();
            write_all(sensor.master, line);
            if (read_command(actuator.master, 5000, pending)) {
                rtt.add((mono_ns() - start) / 1000);
            } else {
                ++lost;
            }
            sleep_until_ns(next);
        }
        auto s = rtt.summary();
        std::string out = "{";
        json_field(out, "events", static_cast<std::int64_t>(rtt.count()));
        json_field(out, "lost", static_cast<std::int64_t>(lost));
        json_field(out, "p50_us", s.p50);
        json_field(out, "p99_us", s.p99);
        json_field(out, "p999_us", s.p999);
        json_field(out, "max_us", s.max);
        std::printf("%s}\n", out.c_str());
        return lost == 0 ? 0 : 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr,
                     "bench_serial_rtt: %s\nusage: bench_serial_rtt [--count N] "
                     "[--interval-ms MS] [--timeout-ms MS]\n",
                     e.what());
        return 1;
    }
}
