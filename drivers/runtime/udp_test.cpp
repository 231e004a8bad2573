#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/udp.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

namespace {

SocketAddress loopback(int port) {
    SocketAddress address;
    uv_ip4_addr("127.0.0.1", port, reinterpret_cast<sockaddr_in*>(&address.storage));
    return address;
}

Task<void> receive_n(UdpSocket* socket, std::size_t n, std::vector<std::string>* out,
                     std::size_t* batches) {
    while (out->size() < n) {
        auto datagrams = co_await socket->receive();
        ++*batches;
        for (auto d : datagrams) {
            out->emplace_back(d);
        }
    }
}

Task<void> send_all(UdpSocket* socket, std::vector<std::string>* datagrams) {
    for (const auto& d : *datagrams) {
        co_await socket->send(d);
    }
}

Task<void> receive_or_cancel(UdpSocket* socket, std::vector<std::string>* out, std::size_t* batches,
                             std::string* outcome) {
    try {
        co_await receive_n(socket, 1, out, batches);
    } catch (const Cancelled&) {
        *outcome = "cancelled";
    }
}

} // namespace

TEST_CASE("udp datagrams arrive whole, in order, several per wake-up") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::vector<std::string> received;
    std::vector<std::string> sent;
    for (int i = 0; i < 200; ++i) {
        sent.push_back("datagram " + std::to_string(i));
    }
    std::size_t batches = 0;
    {
        auto server = UdpSocket::bind(scheduler, loopback(0));
        auto client = UdpSocket::connect(scheduler, loopback(server.port()));
        scope.spawn(send_all(&client, &sent), "sender");
        REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
        scope.spawn(receive_n(&server, sent.size(), &received, &batches), "receiver");
        REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    }
    CHECK(received == sent);
    CHECK(batches < sent.size());
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("closing a udp socket cancels a pending receive") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::vector<std::string> received;
    std::size_t batches = 0;
    std::string outcome;
    auto server = UdpSocket::bind(scheduler, loopback(0));
    scope.spawn(receive_or_cancel(&server, &received, &batches, &outcome), "receiver");
    scheduler.run_once_nowait();
    server.close();
    REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    CHECK(outcome == "cancelled");
    scheduler.run();
    CHECK(scheduler.close());
}
