#include "drivers/runtime/scope.hpp"
#include "drivers/sources/stream_server.hpp"
#include "drivers/sources/tcp_client.hpp"
#include "drivers/sources/udp.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace sluice;
using namespace sluice::testing;

namespace {

using Factory = std::unique_ptr<Source> (*)(const ComponentConfig&, Diagnostics&);

struct Harness {
    Scheduler scheduler;
    Scope scope{scheduler};
    CollectingOutput output{scheduler};
    std::unique_ptr<Source> source;
    std::string outcome;

    Harness(const std::string& yaml, Factory make) {
        Diagnostics diagnostics;
        source = make(component(yaml, "in"), diagnostics);
        REQUIRE(source);
        scope.spawn(run_source(source.get(), &scheduler, &output, &outcome), "in");
    }
    ~Harness() {
        source->stop();
        CHECK(run_until(scheduler, [&] { return scope.active() == 0; }));
        scheduler.run();
        CHECK(scheduler.close());
    }
    ComponentStatus& status() { return source->status(); }
    bool wait_running() {
        return run_until(scheduler, [&] { return status().state == ComponentState::running; });
    }
};

std::string source_yaml(const std::string& body) {
    return "version: 1\nsources:\n  in:\n" + body + "sinks:\n  out: {type: null, inputs: [in]}\n";
}

int connect_unix(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    return fd;
}

} // namespace

TEST_CASE("tcp_server keeps each client's partial frames apart") {
    auto port = free_port(SOCK_STREAM);
    Harness h(
        source_yaml("    type: tcp_server\n    listen: 127.0.0.1:" + std::to_string(port) + "\n"),
        &StreamServerSource::make_tcp);
    REQUIRE(h.wait_running());
    int a = connect_tcp(port);
    int b = connect_tcp(port);
    REQUIRE((a >= 0 && b >= 0));
    auto* server = static_cast<StreamServerSource*>(h.source.get());
    REQUIRE(run_until(h.scheduler, [&] { return server->clients() == 2; }));
    write_all(a, "{\"c\":\"a\",");
    write_all(b, "{\"c\":\"b\",\"n\":1}\n{\"c\":\"b\",");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
    write_all(a, "\"n\":1}\n");
    write_all(b, "\"n\":2}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 3; }));
    CHECK(h.output.lines[0] == R"({"c":"b","n":1})");
    std::sort(h.output.lines.begin() + 1, h.output.lines.end());
    CHECK(h.output.lines[1] == R"({"c":"a","n":1})");
    CHECK(h.output.lines[2] == R"({"c":"b","n":2})");
    ::close(a);
    REQUIRE(run_until(h.scheduler, [&] { return server->clients() == 1; }));
    ::close(b);
    REQUIRE(run_until(h.scheduler, [&] { return server->clients() == 0; }));
}

TEST_CASE("tcp_server refuses clients beyond max_clients and counts them") {
    auto port = free_port(SOCK_STREAM);
    Harness h(source_yaml("    type: tcp_server\n    listen: 127.0.0.1:" + std::to_string(port) +
                          "\n    max_clients: 1\n"),
              &StreamServerSource::make_tcp);
    REQUIRE(h.wait_running());
    int a = connect_tcp(port);
    auto* server = static_cast<StreamServerSource*>(h.source.get());
    REQUIRE(run_until(h.scheduler, [&] { return server->clients() == 1; }));
    int b = connect_tcp(port);
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors == 1; }));
    // The refused client sees its connection closed.
    CHECK(read_all(b).empty());
    write_all(a, "{\"ok\":1}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
    ::close(a);
    ::close(b);
}

TEST_CASE("tcp_server stops reading a client while the pipeline is full") {
    auto port = free_port(SOCK_STREAM);
    Harness h(
        source_yaml("    type: tcp_server\n    listen: 127.0.0.1:" + std::to_string(port) + "\n"),
        &StreamServerSource::make_tcp);
    REQUIRE(h.wait_running());
    h.output.set_accepting(false);
    int a = connect_tcp(port);
    // With nobody reading, the kernel's buffers fill and the peer's writes stop.
    int flags = 1 << 20;
    setsockopt(a, SOL_SOCKET, SO_SNDBUF, &flags, sizeof(flags));
    std::string line = "{\"x\":\"" + std::string(100, 'y') + "\"}\n";
    std::size_t sent = 0;
    std::thread writer([&] {
        for (int i = 0; i < 100000; ++i) {
            if (!write_all(a, line)) {
                break;
            }
            ++sent;
        }
        ::shutdown(a, SHUT_WR);
    });
    run_until(
        h.scheduler, [] { return false; }, std::chrono::milliseconds(300));
    CHECK(h.output.lines.empty());
    CHECK(sent < 100000);
    h.output.set_accepting(true);
    REQUIRE(run_until(
        h.scheduler, [&] { return h.output.lines.size() == 100000; }, std::chrono::seconds(30)));
    writer.join();
    ::close(a);
}

TEST_CASE("unix_server reads clients of a unix socket") {
    sluice::test::TempDir dir;
    auto path = dir.file("in.sock");
    Harness h(source_yaml("    type: unix_server\n    path: " + path + "\n    decode: kv\n"),
              &StreamServerSource::make_unix);
    REQUIRE(h.wait_running());
    int fd = connect_unix(path);
    write_all(fd, "temp=21.5 room=lab\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
    CHECK(h.output.lines[0] == R"({"temp":21.5,"room":"lab"})");
    ::close(fd);
}

TEST_CASE("tcp_client reconnects with backoff when the server goes away") {
    auto port = free_port(SOCK_STREAM);
    Harness h(source_yaml("    type: tcp_client\n    connect: 127.0.0.1:" + std::to_string(port) +
                          "\n    reconnect_min: 20ms\n    reconnect_max: 100ms\n"),
              &TcpClientSource::make);
    // Nobody listens yet.
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    for (int round = 0; round < 2; ++round) {
        int server = listen_tcp(port);
        REQUIRE(h.wait_running());
        int peer = ::accept(server, nullptr, nullptr);
        REQUIRE(peer >= 0);
        write_all(peer, "{\"round\":" + std::to_string(round) + "}\n");
        REQUIRE(run_until(h.scheduler, [&] {
            return h.output.lines.size() == static_cast<std::size_t>(round + 1);
        }));
        ::close(peer);
        ::close(server);
        REQUIRE(
            run_until(h.scheduler, [&] { return h.status().state != ComponentState::running; }));
    }
    CHECK(h.output.lines == std::vector<std::string>{R"({"round":0})", R"({"round":1})"});
}

TEST_CASE("a tcp_client source whose server never answers gives up at connect_timeout") {
    SilentPort silent;
    Harness h(source_yaml(
                  "    type: tcp_client\n    connect: 127.0.0.1:" + std::to_string(silent.port()) +
                  "\n    connect_timeout: 100ms\n    reconnect_min: 50ms\n"),
              &TcpClientSource::make);
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors >= 2; }));
    CHECK(h.status().state != ComponentState::running);
    CHECK(h.status().last_error.find("timed out") != std::string::npos);
}

TEST_CASE("udp source makes one event of each datagram") {
    auto port = free_port(SOCK_DGRAM);
    Harness h(source_yaml("    type: udp\n    listen: 127.0.0.1:" + std::to_string(port) + "\n"),
              &UdpSource::make);
    REQUIRE(h.wait_running());
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (const char* d : {"{\"d\":1}", "not json", "{\"d\":2}\n"}) {
        ::sendto(fd, d, strlen(d), 0, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    }
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 2; }));
    CHECK(h.output.lines == std::vector<std::string>{R"({"d":1})", R"({"d":2})"});
    REQUIRE(run_until(h.scheduler, [&] { return h.status().errors == 1; }));
    ::close(fd);
}
