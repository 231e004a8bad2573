// End-to-end: shutdown of the real daemon while a sink cannot drain: the status socket serves
// until the drain has ended, and repeated stop signals narrow the drain without skipping the
// actuators' safe states.

#include "tests/e2e/ops_support.hpp"
#include "tests/e2e/peers.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sluice;
using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

/// A loopback TCP peer that sluice connects to and that reads only when the test says so. Its
/// small receive buffer makes a sink writing to it stall soon.
class SilentPeer {
public:
    SilentPeer() : port_(free_port()), listener_(listen_on_loopback(port_, 4096)) {}
    ~SilentPeer() {
        for (int fd : {connection_, listener_}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }
    SilentPeer(const SilentPeer&) = delete;
    SilentPeer& operator=(const SilentPeer&) = delete;

    int port() const { return port_; }
    /// Accepts sluice's connection (already made: the kernel completed it in the backlog) and
    /// reads until sluice closes it or `timeout` passes; true if it closed.
    bool read_to_end(std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        if (connection_ < 0) {
            pollfd p{listener_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
                return false;
            }
            connection_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        }
        char chunk[65536];
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{connection_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) {
                continue;
            }
            auto n = ::recv(connection_, chunk, sizeof chunk, 0);
            if (n <= 0) {
                return true;
            }
            received_.append(chunk, static_cast<std::size_t>(n));
        }
        return false;
    }
    const std::string& received() const { return received_; }

private:
    int port_;
    int listener_;
    int connection_ = -1;
    std::string received_;
};

/// A generator as fast as the pipeline takes it, into a tcp_client sink whose peer does not
/// read; `extra` adds components, which `valve_gen` (another generator) may feed: a sink that
/// stalls holds up only its own source. Drains may take up to a minute: only the test ends them.
std::string stalled_config(const TempDir& dir, const SilentPeer& peer, const std::string& extra) {
    return dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + dir.file("status.sock") +
                                          R"(
  shutdown_timeout: 60s
sources:
  gen: {type: generator, rate: 0}
  valve_gen: {type: generator, rate: 0}
sinks:
  slow:
    type: tcp_client
    inputs: [gen]
    connect: 127.0.0.1:)" + std::to_string(peer.port()) +
                                          R"(
    buffer: {max_events: 1000, when_full: block}
)" + extra);
}

/// stalled_config() plus `valve`, an actuator with a safe state whose device (another silent
/// peer) reads only when the test says so.
std::string valve_config(const TempDir& dir, const SilentPeer& slow, const SilentPeer& valve) {
    return stalled_config(dir, slow,
                          R"(actuators:
  valve:
    type: tcp_client
    inputs: [valve_gen]
    connect: 127.0.0.1:)" + std::to_string(valve.port()) +
                              R"(
    encode: template
    template: "VALVE {sensor}\n"
    safe_state: "VALVE CLOSED\n"
    buffer: {max_events: 1000, when_full: block}
)");
}

std::string daemon_state(const std::string& socket) {
    auto status = ask(socket, R"({"cmd":"status"})");
    const auto* state = status ? status->find("state") : nullptr;
    return state ? state->as_string() : "";
}

/// The daemon of valve_config() with both sinks stalled on their silent peers, after a first
/// SIGTERM: stopping, and draining.
struct StoppingWithValve {
    TempDir dir;
    SilentPeer slow;
    SilentPeer valve;
    std::string socket = dir.file("status.sock");
    std::unique_ptr<Daemon> daemon;

    StoppingWithValve() : daemon(start_daemon(valve_config(dir, slow, valve), socket, "")) {
        REQUIRE(wait_until([&] {
            return counter(socket, "slow", "queue_depth") >= 1000 &&
                   counter(socket, "valve", "queue_depth") >= 1000;
        }));
        daemon->signal(SIGTERM);
        REQUIRE(wait_until([&] { return daemon_state(socket) == "stopping"; }));
    }
};

} // namespace

TEST_CASE("the status socket answers during the drain, with state stopping, until it ends") {
    TempDir dir;
    SilentPeer peer;
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(stalled_config(dir, peer, ""), socket, "");
    REQUIRE(wait_until([&] { return counter(socket, "slow", "queue_depth") >= 1000; }));

    daemon->signal(SIGTERM);
    REQUIRE(wait_until([&] { return daemon_state(socket) == "stopping"; }));
    CHECK(counter(socket, "slow", "queue_depth") > 0);
    auto metrics = ask(socket, R"({"cmd":"metrics"})");
    REQUIRE(metrics);
    CHECK(metrics->find("ok")->as_bool());
    auto reload = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reload);
    CHECK_FALSE(reload->find("ok")->as_bool());
    CHECK(reload->find("error")->as_string() == "reload refused: the daemon is stopping");
    // The command line says so too, without claiming a configuration keeps running.
    auto cli = run({sluice_binary(), "reload", "-s", socket});
    CHECK(cli.exit_code == 1);
    CHECK(cli.err == "sluice: reload refused: the daemon is stopping\n");
    auto tap = ask(socket, R"({"cmd":"tap","component":"gen"})");
    REQUIRE(tap);
    CHECK(tap->find("error")->as_string() == "tap: the daemon is stopping");
    CHECK_FALSE(daemon->wait(0ms));

    // The peer reads at last: the drain ends, every queued event is written, and only then does
    // the socket go.
    REQUIRE(peer.read_to_end(20s));
    CHECK(daemon->wait(20s) == 0);
    CHECK(::access(socket.c_str(), F_OK) != 0);
    auto log = daemon->stderr_text();
    INFO(log);
    CHECK(log.find("abandoned") == std::string::npos);
    CHECK(log.find("shutdown_timeout reached") == std::string::npos);
}

TEST_CASE("a second SIGTERM drops the queues at once but the actuator still writes its safe "
          "state") {
    StoppingWithValve s;
    s.daemon->signal(SIGTERM);
    REQUIRE(wait_until([&] {
        auto log = s.daemon->stderr_text();
        return log.find("slow: abandoned") != std::string::npos &&
               log.find("valve: abandoned") != std::string::npos;
    }));
    // The actuator's write in progress still waits for its device; the process is alive.
    CHECK_FALSE(s.daemon->wait(0ms));
    CHECK(counter(s.socket, "valve", "events_dropped") >= 1000);
    CHECK(counter(s.socket, "valve", "queue_depth") <= 1024);

    // The device takes what was being written, then the safe state, and the daemon exits.
    REQUIRE(s.valve.read_to_end(20s));
    CHECK(s.daemon->wait(20s) == 0);
    const auto& got = s.valve.received();
    REQUIRE(got.size() >= 13);
    CHECK(got.substr(got.size() - 13) == "VALVE CLOSED\n");
    auto log = s.daemon->stderr_text();
    INFO(log);
    CHECK(log.find("SIGTERM during shutdown: no longer waiting for queued events") !=
          std::string::npos);
    CHECK(log.find("valve: shutdown: wrote safe_state") != std::string::npos);
    CHECK(log.find("shutdown_timeout reached") == std::string::npos);
}

TEST_CASE("a third stop signal aborts the actuator too, and the daemon exits at once") {
    StoppingWithValve s;
    s.daemon->signal(SIGINT);
    REQUIRE(wait_until(
        [&] { return s.daemon->stderr_text().find("valve: abandoned") != std::string::npos; }));
    s.daemon->signal(SIGTERM);
    // Far sooner than the 60s shutdown_timeout, though neither peer ever read.
    CHECK(s.daemon->wait(20s) == 0);
    auto log = s.daemon->stderr_text();
    INFO(log);
    CHECK(log.find("SIGINT during shutdown: no longer waiting") != std::string::npos);
    CHECK(log.find("SIGTERM during shutdown again: aborting every sink") != std::string::npos);
    // A TCP peer that does not read cannot take a write that does not wait: said, not hidden.
    CHECK(log.find("valve: shutdown: could not write safe_state") != std::string::npos);
}
