#include "drivers/sinks/tcp_server.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string sink_yaml(const std::string& body) {
    return "version: 1\nsources:\n  in: {type: stdin}\nsinks:\n  out:\n    inputs: [in]\n" + body;
}

std::vector<std::string> numbered(int from, int to) {
    std::vector<std::string> lines;
    for (int i = from; i < to; ++i) {
        lines.push_back("{\"i\":" + std::to_string(i) + "}");
    }
    return lines;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out;
}

/// Accepts one connection on `server` and reads what is there without blocking.
struct Peer {
    int fd = -1;
    std::string received;
    bool accept_from(int server) {
        fd = ::accept4(server, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        return fd >= 0;
    }
    /// Runs `h`'s loop until the connection on `server` is accepted and has brought `expected`.
    bool accept_and_receive(SinkHarness& h, int server, const std::string& expected) {
        return run_until(h.scheduler, [&] { return fd >= 0 || accept_from(server); }) &&
               run_until(h.scheduler, [&] {
                   read_some();
                   return received == expected;
               });
    }
    bool read_some() {
        char buffer[65536];
        auto n = ::read(fd, buffer, sizeof(buffer));
        if (n > 0) {
            received.append(buffer, static_cast<std::size_t>(n));
        }
        return n != 0;
    }
    ~Peer() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

void make_nonblocking(int fd) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/// A non-blocking Unix stream socket listening at `path`, or -1.
int listen_unix(const std::string& path) {
    int server = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (::bind(server, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(server, 4) != 0) {
        ::close(server);
        return -1;
    }
    return server;
}

/// An actuator of `type_options` that writes "VALVE {i}" commands and "VALVE CLOSED" as its
/// safe state.
std::string valve_yaml(const std::string& type_options) {
    return "version: 1\nsources:\n  in: {type: stdin}\nactuators:\n  out:\n    inputs: [in]\n" +
           type_options +
           "    encode: template\n    template: \"VALVE {i}\\n\"\n"
           "    safe_state: \"VALVE CLOSED\\n\"\n";
}

/// The valve of valve_yaml() connects to `server` and sends one command; then it is aborted
/// (a third stop signal) while its connection is idle: the safe state still reaches the peer,
/// in a write that does not wait.
void check_safe_state_after_abort(const std::string& type_options, int server) {
    SinkHarness h(valve_yaml(type_options), "out");
    h.feed(numbered(0, 1));
    Peer peer;
    REQUIRE(peer.accept_and_receive(h, server, "VALVE 0\n"));
    h.sink->abort("test aborts");
    REQUIRE(run_until(h.scheduler, [&] { return h.scope.active() == 0; }));
    REQUIRE(run_until(h.scheduler, [&] { return !peer.read_some(); })); // closed after it
    CHECK(peer.received == "VALVE 0\nVALVE CLOSED\n");
    CHECK(h.status().bytes_out == peer.received.size());
}

} // namespace

TEST_CASE("tcp_client sink delivers every event across a peer restart under block") {
    auto port = free_port(SOCK_STREAM);
    SinkHarness h(sink_yaml("    type: tcp_client\n    connect: 127.0.0.1:" + std::to_string(port) +
                            "\n    reconnect_min: 10ms\n    reconnect_max: 50ms\n"),
                  "out");
    // The peer is down: events wait, the sink retries.
    h.feed(numbered(0, 10));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    int server = listen_tcp(port);
    make_nonblocking(server);
    {
        Peer peer;
        REQUIRE(run_until(h.scheduler, [&] { return peer.fd >= 0 || peer.accept_from(server); }));
        REQUIRE(run_until(h.scheduler, [&] {
            peer.read_some();
            return peer.received.size() == joined(numbered(0, 10)).size();
        }));
        CHECK(peer.received == joined(numbered(0, 10)));
        CHECK(h.status().state == ComponentState::running);
    }
    // The peer went away; the next batch finds out and reconnects.
    h.feed(numbered(10, 20));
    Peer second;
    REQUIRE(run_until(h.scheduler, [&] { return second.fd >= 0 || second.accept_from(server); }));
    REQUIRE(run_until(h.scheduler, [&] {
        second.read_some();
        return second.received.find("{\"i\":19}\n") != std::string::npos;
    }));
    CHECK(second.received == joined(numbered(10, 20)));
    REQUIRE(h.finish());
    CHECK(h.status().events_out == 20);
    CHECK(h.status().events_dropped == 0);
    ::close(server);
}

TEST_CASE("a peer that is down makes a drop_newest sink drop, never grow") {
    auto port = free_port(SOCK_STREAM);
    SinkHarness h(sink_yaml("    type: tcp_client\n    connect: 127.0.0.1:" + std::to_string(port) +
                            "\n    buffer: {max_events: 100, when_full: drop_newest}\n"),
                  "out");
    for (int i = 0; i < 50; ++i) {
        h.feed(numbered(i * 100, i * 100 + 100));
        h.scheduler.run_once_nowait();
    }
    CHECK(h.status().queue_depth <= 100 + 1024);
    CHECK(h.status().events_dropped >= 5000 - 100 - 1024);
    CHECK(h.sink->accepting());
}

TEST_CASE("a tcp_client sink whose peer never answers gives up at connect_timeout and retries") {
    SilentPort silent;
    SinkHarness h(
        sink_yaml("    type: tcp_client\n    connect: 127.0.0.1:" + std::to_string(silent.port()) +
                  "\n    connect_timeout: 100ms\n    reconnect_min: 50ms\n"),
        "out");
    h.feed(numbered(0, 10));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors >= 2; }));
    CHECK(h.status().last_error.find("timed out") != std::string::npos);
    CHECK(h.status().queue_depth == 10);
}

TEST_CASE("tcp_server sink serves a fast client while a slow one loses batches") {
    auto port = free_port(SOCK_STREAM);
    SinkHarness h(sink_yaml("    type: tcp_server\n    listen: 127.0.0.1:" + std::to_string(port) +
                            "\n    client_buffer: 64KiB\n"),
                  "out");
    auto* server = static_cast<TcpServerSink*>(h.sink.get());
    REQUIRE(run_until(h.scheduler, [&] { return server->port() != 0; }));
    int slow = connect_tcp(port);
    int small = 4096;
    setsockopt(slow, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    Peer fast;
    fast.fd = connect_tcp(port);
    make_nonblocking(fast.fd);
    REQUIRE(run_until(h.scheduler, [&] { return server->clients() == 2; }));
    std::string line = "{\"payload\":\"" + std::string(200, 'p') + "\"}";
    std::vector<std::string> batch(100, line);
    const int batches = 200; // about 4 MB: far more than the slow client's buffers hold
    for (int i = 0; i < batches; ++i) {
        h.feed(batch);
        REQUIRE(run_until(h.scheduler, [&] {
            fast.read_some();
            return h.status().queue_depth == 0;
        }));
    }
    auto expected = static_cast<std::size_t>(batches) * 100 * (line.size() + 1);
    REQUIRE(run_until(h.scheduler, [&] {
        fast.read_some();
        return fast.received.size() == expected;
    }));
    CHECK(h.status().errors > 0); // the slow client's drops
    CHECK(h.status().events_out == static_cast<std::uint64_t>(batches) * 100);
    // What the slow client did get is whole events.
    make_nonblocking(slow);
    {
        Peer slow_peer;
        slow_peer.fd = slow;
        REQUIRE(run_until(h.scheduler, [&] {
            slow_peer.read_some();
            return !slow_peer.received.empty() && slow_peer.received.back() == '\n';
        }));
        CHECK(slow_peer.received.size() % (line.size() + 1) == 0);
    }
    // The slow client has gone; shutdown does not wait for it.
    REQUIRE(h.finish());
}

TEST_CASE("udp sink sends each event as one datagram") {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    socklen_t length = sizeof(address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    SinkHarness h(sink_yaml("    type: udp\n    connect: 127.0.0.1:" +
                            std::to_string(ntohs(address.sin_port)) + "\n    encode: kv\n"),
                  "out");
    h.feed({R"({"a":1,"b":"x"})", R"({"a":2})"});
    std::vector<std::string> datagrams;
    REQUIRE(run_until(h.scheduler, [&] {
        char buffer[1024];
        auto n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n > 0) {
            datagrams.emplace_back(buffer, static_cast<std::size_t>(n));
        }
        return datagrams.size() == 2;
    }));
    CHECK(datagrams == std::vector<std::string>{"a=1 b=x\n", "a=2\n"});
    REQUIRE(h.finish());
    ::close(fd);
}

TEST_CASE("unix sink writes to a unix stream socket") {
    sluice::test::TempDir dir;
    auto path = dir.file("out.sock");
    int server = listen_unix(path);
    REQUIRE(server >= 0);
    SinkHarness h(sink_yaml("    type: unix\n    path: " + path + "\n"), "out");
    h.feed(numbered(0, 3));
    Peer peer;
    REQUIRE(peer.accept_and_receive(h, server, joined(numbered(0, 3))));
    REQUIRE(h.finish());
    ::close(server);
}

TEST_CASE("an aborted tcp_client or unix actuator writes its safe state on its idle connection") {
    SECTION("tcp_client") {
        auto port = free_port(SOCK_STREAM);
        int server = listen_tcp(port);
        make_nonblocking(server);
        check_safe_state_after_abort(
            "    type: tcp_client\n    connect: 127.0.0.1:" + std::to_string(port) + "\n", server);
        ::close(server);
    }
    SECTION("unix") {
        sluice::test::TempDir dir;
        auto path = dir.file("valve.sock");
        int server = listen_unix(path);
        REQUIRE(server >= 0);
        check_safe_state_after_abort("    type: unix\n    path: " + path + "\n", server);
        ::close(server);
    }
}
