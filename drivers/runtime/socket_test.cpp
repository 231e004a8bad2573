#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/socket.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace sluice;
using namespace sluice::testing;

namespace {

Task<void> accept_and_read(Listener* listener, std::string* received, std::string* outcome) {
    try {
        auto client = co_await listener->accept();
        char buffer[256];
        while (auto n = co_await client.read(buffer)) {
            received->append(buffer, n);
        }
        *outcome = "eof";
    } catch (const Cancelled&) {
        *outcome = "cancelled";
    }
}

Task<void> connect_and_write(Scheduler* scheduler, SocketAddress address, std::string* outcome) {
    auto stream = Stream::tcp(*scheduler);
    try {
        co_await connect_tcp(stream, address);
        co_await stream.write("hello over tcp\n");
        *outcome = "written";
    } catch (const IoError& e) {
        *outcome = e.what();
    }
}

Task<void> connect_within(Scheduler* scheduler, SocketAddress address, std::uint64_t timeout_ms,
                          std::string* outcome) {
    auto stream = Stream::tcp(*scheduler);
    try {
        co_await connect_tcp(stream, address, timeout_ms);
        *outcome = "connected";
    } catch (const IoError& e) {
        *outcome = e.what();
    }
}

Task<void> connect_unix_and_write(Scheduler* scheduler, std::string path, std::string* outcome) {
    auto stream = Stream::pipe(*scheduler);
    try {
        co_await connect_unix(stream, path);
        co_await stream.write("hello over unix\n");
        *outcome = "written";
    } catch (const IoError& e) {
        *outcome = e.what();
    }
}

SocketAddress loopback(int port) {
    SocketAddress address;
    uv_ip4_addr("127.0.0.1", port, reinterpret_cast<sockaddr_in*>(&address.storage));
    return address;
}

} // namespace

TEST_CASE("a tcp listener accepts a client whose bytes arrive until it closes") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string received, outcome, written;
    {
        auto listener = Listener::tcp(scheduler, loopback(0));
        auto port = listener.port();
        REQUIRE(port != 0);
        scope.spawn(accept_and_read(&listener, &received, &outcome), "server");
        scope.spawn(connect_and_write(&scheduler, loopback(port), &written), "client");
        REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    }
    CHECK(written == "written");
    CHECK(outcome == "eof");
    CHECK(received == "hello over tcp\n");
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("connecting to a closed tcp port fails with an io error") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string outcome;
    scope.spawn(connect_and_write(&scheduler, loopback(free_port(SOCK_STREAM)), &outcome), "c");
    REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    CHECK(outcome.find("connect") != std::string::npos);
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a tcp connect to a peer that never answers ends at its timeout") {
    SilentPort silent;
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string outcome;
    auto start = std::chrono::steady_clock::now();
    scope.spawn(connect_within(&scheduler, loopback(silent.port()), 200, &outcome), "c");
    // Without the timeout the kernel would retry the SYN for about two minutes.
    REQUIRE(run_until(
        scheduler, [&] { return scope.active() == 0; }, std::chrono::seconds(60)));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
    CHECK(outcome.find("connect") != std::string::npos);
    CHECK(outcome.find("timed out") != std::string::npos);
    // Closing the stream cancelled the kernel's attempt and every handle is gone.
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a tcp connect that succeeds before its timeout leaves no timer behind") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string outcome;
    auto listener = Listener::tcp(scheduler, loopback(0));
    scope.spawn(connect_within(&scheduler, loopback(listener.port()), 60'000, &outcome), "c");
    REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    CHECK(outcome == "connected");
    listener.close();
    // A timer left armed would keep the loop running for the whole minute.
    auto start = std::chrono::steady_clock::now();
    scheduler.run();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
    CHECK(scheduler.close());
}

TEST_CASE("closing a listener cancels a pending accept") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string received, outcome;
    auto listener = Listener::tcp(scheduler, loopback(0));
    scope.spawn(accept_and_read(&listener, &received, &outcome), "server");
    scheduler.run_once_nowait();
    listener.close();
    REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    CHECK(outcome == "cancelled");
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a unix listener replaces a stale socket file and serves a client") {
    sluice::test::TempDir dir;
    auto path = dir.file("s.sock");
    {
        // A socket file left by a process that is gone: bound, never listened on.
        int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        path.copy(address.sun_path, sizeof(address.sun_path) - 1);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
        ::close(fd);
    }
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string received, outcome, written;
    {
        auto listener = Listener::unix_socket(scheduler, path, 0660);
        CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
              (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
               std::filesystem::perms::group_read | std::filesystem::perms::group_write));
        scope.spawn(accept_and_read(&listener, &received, &outcome), "server");
        scope.spawn(connect_unix_and_write(&scheduler, path, &written), "client");
        REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    }
    CHECK(written == "written");
    CHECK(received == "hello over unix\n");
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a unix path too long for a socket address is an error, never cut short") {
    sluice::test::TempDir dir;
    auto path = dir.file(std::string(120, 'x') + ".sock");
    auto cut = path.substr(0, sizeof(sockaddr_un::sun_path) - 1);
    Scheduler scheduler;
    Scope scope(scheduler);
    try {
        Listener::unix_socket(scheduler, path, 0660);
        FAIL("bound a path of " << path.size() << " bytes");
    } catch (const IoError& e) {
        CHECK(e.code() == UV_ENAMETOOLONG);
    }
    CHECK_FALSE(std::filesystem::exists(cut));
    // A socket at the cut-short name must not be reached by a connect to the long one.
    std::string received, accepted, outcome;
    {
        auto listener = Listener::unix_socket(scheduler, cut, 0660);
        scope.spawn(accept_and_read(&listener, &received, &accepted), "server");
        scope.spawn(connect_unix_and_write(&scheduler, path, &outcome), "client");
        REQUIRE(run_until(scheduler, [&] { return !outcome.empty(); }));
    }
    REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    CHECK(outcome.find("too long") != std::string::npos);
    CHECK(accepted == "cancelled");
    CHECK(received.empty());
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("host and port parse in every accepted form") {
    std::string error;
    auto v4 = parse_host_port("127.0.0.1:9000", error);
    REQUIRE(v4);
    CHECK(v4->host == "127.0.0.1");
    CHECK(v4->port == 9000);
    auto v6 = parse_host_port("[::1]:80", error);
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->text() == "[::1]:80");
    auto any = parse_host_port(":7000", error);
    REQUIRE(any);
    CHECK(any->host.empty());
    CHECK_FALSE(parse_host_port("::1:80", error));
    CHECK_FALSE(parse_host_port("host:99999", error));
    CHECK_FALSE(parse_host_port("host", error));
    CHECK_FALSE(parse_host_port("host:", error));
    CHECK(error.find("host:port") != std::string::npos);
}
