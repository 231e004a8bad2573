// ZmqSocket: ZMQ_FD on the libuv loop, against real peers in threads.

#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/test_support.hpp"
#include "drivers/zmq/zmq_socket.hpp"
#include "drivers/zmq/zmq_test_peer.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

namespace {

/// Receives until `expected` frames arrived, taking at most `per_wake` per wake-up so that
/// wait() often finds messages already queued (ZMQ_EVENTS, no new edge on the fd).
Task<void> consume(ZmqSocket* socket, std::size_t expected, std::size_t per_wake,
                   std::vector<std::string>* got, std::string* outcome) {
    ZmqMessage frame;
    try {
        while (got->size() < expected) {
            co_await socket->wait(ZMQ_POLLIN);
            for (std::size_t n = 0; n < per_wake && socket->receive(frame); ++n) {
                got->emplace_back(frame.view());
            }
        }
        *outcome = "done";
    } catch (const Cancelled&) {
        *outcome = "cancelled";
    }
}

/// Sends `count` numbered frames, waiting for POLLOUT whenever libzmq is full.
Task<void> produce(ZmqSocket* socket, int count, std::size_t* blocked, std::string* outcome) {
    for (int i = 0; i < count; ++i) {
        auto text = std::to_string(i);
        while (!socket->send(text, false)) {
            ++*blocked;
            co_await socket->wait(ZMQ_POLLOUT);
        }
    }
    *outcome = "done";
}

std::vector<ZmqFrames> numbered_messages(int from, int to) {
    std::vector<ZmqFrames> messages;
    for (int i = from; i < to; ++i) {
        messages.push_back({std::to_string(i)});
    }
    return messages;
}

} // namespace

TEST_CASE("a zmq socket on the loop drains a fast push peer without missing an edge") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "load");
    constexpr int kCount = 200'000;
    // Taking 1, 7 or all messages per wake exercises both paths: a fresh edge on ZMQ_FD, and
    // ZMQ_EVENTS still reporting POLLIN with no edge to come.
    auto per_wake = GENERATE(std::size_t{1}, std::size_t{7}, std::size_t{100'000});
    Scheduler scheduler;
    {
        Scope scope(scheduler);
        ZmqSocket socket(scheduler, ZMQ_PULL);
        socket.set_int(ZMQ_RCVHWM, 10, "ZMQ_RCVHWM");
        socket.bind(endpoint);
        std::vector<std::string> got;
        std::string outcome;
        scope.spawn(consume(&socket, kCount, per_wake, &got, &outcome), "consume");
        ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint, .hwm = 10});
        peer.send(numbered_messages(0, kCount));
        REQUIRE(run_until(
            scheduler, [&] { return outcome == "done"; }, std::chrono::seconds(60)));
        REQUIRE(got.size() == kCount);
        for (int i = 0; i < kCount; ++i) {
            REQUIRE(got[static_cast<std::size_t>(i)] == std::to_string(i));
        }
    }
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a zmq socket that waits at its high-water mark resumes when the peer reads") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "hwm");
    constexpr int kCount = 50'000;
    Scheduler scheduler;
    {
        Scope scope(scheduler);
        ZmqPeer peer({.type = zmq::socket_type::pull,
                      .endpoint = endpoint,
                      .bind = true,
                      .hwm = 5,
                      .reading = false});
        ZmqSocket socket(scheduler, ZMQ_PUSH);
        socket.set_int(ZMQ_SNDHWM, 5, "ZMQ_SNDHWM");
        socket.connect(endpoint);
        std::size_t blocked = 0;
        std::string outcome;
        scope.spawn(produce(&socket, kCount, &blocked, &outcome), "produce");
        REQUIRE(run_until(scheduler, [&] { return blocked > 0; }));
        CHECK(outcome.empty());
        peer.set_reading(true);
        REQUIRE(run_until(
            scheduler, [&] { return outcome == "done"; }, std::chrono::seconds(60)));
        REQUIRE(test::wait_until([&] { return peer.received() == kCount; }));
        auto messages = peer.messages();
        for (int i = 0; i < kCount; ++i) {
            REQUIRE(messages[static_cast<std::size_t>(i)] == ZmqFrames{std::to_string(i)});
        }
        socket.close(0);
    }
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("an idle zmq socket costs no wake-ups") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "idle");
    Scheduler scheduler;
    {
        Scope scope(scheduler);
        ZmqSocket socket(scheduler, ZMQ_PULL);
        socket.bind(endpoint);
        std::vector<std::string> got;
        std::string outcome;
        scope.spawn(consume(&socket, 2, 100, &got, &outcome), "consume");
        ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint});
        peer.send_one({"hello"});
        REQUIRE(run_until(scheduler, [&] { return got.size() == 1; }));
        // Connected, drained and quiet: a quarter of a second passes without a single wake-up.
        auto wakes = socket.wakes();
        run_until(
            scheduler, [] { return false; }, std::chrono::milliseconds(250));
        CHECK(socket.wakes() == wakes);
        peer.send_one({"again"});
        REQUIRE(run_until(scheduler, [&] { return outcome == "done"; }));
        CHECK(got == std::vector<std::string>{"hello", "again"});
    }
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("closing a zmq socket cancels its waiter and releases the context") {
    Scheduler scheduler;
    {
        Scope scope(scheduler);
        auto socket = std::make_unique<ZmqSocket>(scheduler, ZMQ_PULL);
        CHECK(ZmqContext::alive());
        std::vector<std::string> got;
        std::string outcome;
        scope.spawn(consume(socket.get(), 1, 1, &got, &outcome), "consume");
        scheduler.run_once_nowait();
        CHECK(outcome.empty());
        socket->close(0);
        REQUIRE(run_until(scheduler, [&] { return outcome == "cancelled"; }));
        socket.reset();
    }
    scheduler.run();
    CHECK(scheduler.close());
    CHECK_FALSE(ZmqContext::alive());
}

TEST_CASE("cancel_waits ends a wait but keeps the socket open for a send that does not wait") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "cancel");
    Scheduler scheduler;
    {
        Scope scope(scheduler);
        ZmqPeer peer({.type = zmq::socket_type::pull, .endpoint = endpoint, .bind = true});
        ZmqSocket socket(scheduler, ZMQ_PUSH);
        socket.connect(endpoint);
        std::vector<std::string> got;
        std::string outcome;
        scope.spawn(consume(&socket, 1, 1, &got, &outcome), "never readable");
        scheduler.run_once_nowait();
        socket.cancel_waits();
        REQUIRE(run_until(scheduler, [&] { return outcome == "cancelled"; }));
        REQUIRE(run_until(scheduler, [&] { return socket.send("last", false); }));
        REQUIRE(test::wait_until([&] { return peer.received() == 1; }));
        socket.close(1000);
    }
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("binding an endpoint that is in use throws a ZmqError naming it") {
    test::TempDir dir;
    auto endpoint = free_tcp_endpoint();
    Scheduler scheduler;
    {
        ZmqSocket first(scheduler, ZMQ_PULL);
        first.bind(endpoint);
        ZmqSocket second(scheduler, ZMQ_PULL);
        CHECK_THROWS_WITH(second.bind(endpoint),
                          Catch::Contains("bind " + endpoint) && Catch::Contains("in use"));
    }
    scheduler.run();
    CHECK(scheduler.close());
}
