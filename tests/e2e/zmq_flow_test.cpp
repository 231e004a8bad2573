// End-to-end: the real sluice binary between real ZeroMQ peers.

#include "drivers/zmq/zmq_test_peer.hpp"
#include "tests/e2e/zmq_e2e_support.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <csignal>

using namespace sluice::test;
using sluice::testing::free_tcp_endpoint;
using sluice::testing::ZmqFrames;
using sluice::testing::ZmqPeer;
using namespace std::chrono_literals;

namespace {

std::string daemon_section(const TempDir& dir) {
    return "version: 1\ndaemon:\n  status_socket: " + dir.file("status.sock") +
           "\n  shutdown_timeout: 5s\n";
}

} // namespace

TEST_CASE("a million messages pass push -> sluice (decode, filter, encode) -> pull, none lost") {
    TempDir dir;
    auto in = free_tcp_endpoint();
    auto out = free_tcp_endpoint();
    auto config = dir.write("pipeline.yaml", daemon_section(dir) + R"(sources:
  in:
    type: zmq
    socket: pull
    bind: )" + in + R"(
stages:
  not_threes:
    type: filter
    inputs: [in]
    condition: i % 10 != 3
sinks:
  out:
    type: zmq
    inputs: [not_threes]
    socket: push
    bind: )" + out + R"(
    buffer: {max_events: 10000, when_full: block}
)");
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    constexpr std::uint64_t kSent = 1'000'000;
    constexpr std::uint64_t kPassing = kSent - kSent / 10;
    // The k-th message out is the k-th number that does not end in 3.
    CheckingPuller puller(
        out, false, [](std::uint64_t k) { return 10 * (k / 9) + k % 9 + (k % 9 >= 3 ? 1 : 0); });
    FastPusher pusher(in, kSent);
    REQUIRE(wait_until([&] { return puller.received() == kPassing; }, 120s));
    CHECK(pusher.done());
    CHECK(puller.first_error().empty());
    auto socket = dir.file("status.sock");
    CHECK(status_counter(socket, "in", "events_out") == static_cast<std::int64_t>(kSent));
    CHECK(status_counter(socket, "out", "events_out") == static_cast<std::int64_t>(kPassing));
    CHECK(status_counter(socket, "out", "events_dropped") == 0);
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);
    CHECK(puller.received() == kPassing);
}

TEST_CASE("sluice relays only the subscribed topics from a pub peer to a sub peer") {
    TempDir dir;
    auto upstream = free_tcp_endpoint();
    auto downstream = free_tcp_endpoint();
    auto config = dir.write("pipeline.yaml", daemon_section(dir) + R"(sources:
  alarms:
    type: zmq
    socket: sub
    connect: )" + upstream + R"(
    topics: ["alarm/"]
sinks:
  republish:
    type: zmq
    inputs: [alarms]
    socket: pub
    bind: )" + downstream + R"(
    topic: "{topic}"
)");
    ZmqPeer publisher({.type = zmq::socket_type::pub, .endpoint = upstream, .bind = true});
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    ZmqPeer subscriber(
        {.type = zmq::socket_type::sub, .endpoint = downstream, .subscriptions = {"alarm/fan"}});
    int round = 0;
    auto send_round = [&] {
        auto body = "{\"round\":" + std::to_string(round++) + "}";
        publisher.send({{"alarm/fan", body}, {"alarm/pump", body}, {"status/fan", body}});
    };
    // Both subscriptions travel upstream before anything gets through: send until it does.
    REQUIRE(wait_until([&] {
        send_round();
        return subscriber.received() > 0;
    }));
    int last = round + 50;
    while (round < last) {
        send_round();
    }
    ZmqFrames final{"alarm/fan",
                    "{\"round\":" + std::to_string(last - 1) + ",\"topic\":\"alarm/fan\"}"};
    REQUIRE(wait_until([&] {
        auto n = subscriber.received();
        return n > 0 && subscriber.messages().back() == final;
    }));
    for (const auto& message : subscriber.messages()) {
        REQUIRE(message.size() == 2);
        CHECK(message[0] == "alarm/fan");
        CHECK(message[1].ends_with(",\"topic\":\"alarm/fan\"}"));
    }
    sluice.signal(SIGTERM);
    CHECK(sluice.wait(10s) == 0);
}

TEST_CASE("flow resumes after the peers on both sides of sluice restart") {
    TempDir dir;
    auto upstream = free_tcp_endpoint();
    auto downstream = free_tcp_endpoint();
    auto config = dir.write("pipeline.yaml", daemon_section(dir) + R"(sources:
  in:
    type: zmq
    socket: pull
    connect: )" + upstream + R"(
    reconnect_min: 10ms
    reconnect_max: 100ms
sinks:
  out:
    type: zmq
    inputs: [in]
    socket: push
    connect: )" + downstream + R"(
    reconnect_min: 10ms
    reconnect_max: 100ms
)");
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    auto numbered = [](int from, int to) {
        std::vector<ZmqFrames> messages;
        for (int i = from; i < to; ++i) {
            messages.push_back({"{\"i\":" + std::to_string(i) + "}"});
        }
        return messages;
    };
    auto first = std::make_unique<ZmqPeer>(
        ZmqPeer::Options{.type = zmq::socket_type::push, .endpoint = upstream, .bind = true});
    auto sink_peer = std::make_unique<ZmqPeer>(
        ZmqPeer::Options{.type = zmq::socket_type::pull, .endpoint = downstream, .bind = true});
    first->send(numbered(0, 1000));
    REQUIRE(wait_until([&] { return sink_peer->received() == 1000; }));
    CHECK(sink_peer->messages() == numbered(0, 1000));
    // Both peers go away and come back on the same endpoints; libzmq reconnects sluice.
    first.reset();
    sink_peer.reset();
    auto second = std::make_unique<ZmqPeer>(
        ZmqPeer::Options{.type = zmq::socket_type::push, .endpoint = upstream, .bind = true});
    sink_peer = std::make_unique<ZmqPeer>(
        ZmqPeer::Options{.type = zmq::socket_type::pull, .endpoint = downstream, .bind = true});
    second->send(numbered(1000, 2000));
    REQUIRE(wait_until([&] { return sink_peer->received() == 1000; }));
    CHECK(sink_peer->messages() == numbered(1000, 2000));
    sluice.signal(SIGTERM);
    CHECK(sluice.wait(10s) == 0);
}

TEST_CASE("a reload that replaces zmq components rebinds their endpoints and flow resumes") {
    TempDir dir;
    auto in = free_tcp_endpoint();
    auto out = free_tcp_endpoint();
    auto write_config = [&](int hwm) {
        return dir.write("pipeline.yaml", daemon_section(dir) + R"(sources:
  in:
    type: zmq
    socket: pull
    bind: )" + in + "\n    hwm: " + std::to_string(hwm) +
                                              R"(
    reconnect_min: 10ms
sinks:
  out:
    type: zmq
    inputs: [in]
    socket: push
    bind: )" + out + "\n    hwm: " + std::to_string(hwm) +
                                              R"(
    reconnect_min: 10ms
)");
    };
    auto config = write_config(1000);
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    auto numbered = [](int from, int to) {
        std::vector<ZmqFrames> messages;
        for (int i = from; i < to; ++i) {
            messages.push_back({"{\"i\":" + std::to_string(i) + "}"});
        }
        return messages;
    };
    ZmqPeer producer({.type = zmq::socket_type::push, .endpoint = in});
    ZmqPeer consumer({.type = zmq::socket_type::pull, .endpoint = out});
    producer.send(numbered(0, 100));
    REQUIRE(wait_until([&] { return consumer.received() == 100; }));
    // Both components change, so both are replaced while their old sockets still hold the
    // endpoints: the new ones retry until the old ones have let go.
    write_config(2000);
    auto reload = run({sluice_binary(), "reload", "-s", dir.file("status.sock")});
    REQUIRE(reload.exit_code == 0);
    // Messages the producer writes into the old connection while it is being torn down are
    // lost (ZeroMQ has no acknowledgements; docs/zeromq.md says so), so probe until one gets
    // through the new sockets on both sides; from then on nothing may be lost.
    int probes = 0;
    REQUIRE(wait_until([&] {
        producer.send_one({"{\"probe\":" + std::to_string(probes++) + "}"});
        return wait_until([&] { return consumer.received() > 100; }, 100ms);
    }));
    producer.send(numbered(100, 200));
    auto last = numbered(199, 200).front();
    REQUIRE(wait_until([&] {
        auto messages = consumer.messages();
        return !messages.empty() && messages.back() == last;
    }));
    auto messages = consumer.messages();
    CHECK(std::vector<ZmqFrames>(messages.begin(), messages.begin() + 100) == numbered(0, 100));
    // One connection carries everything in order, so after the last probe comes the second
    // batch, whole.
    auto after_probes = std::find_if(messages.rbegin(), messages.rend(), [](const ZmqFrames& m) {
                            return m.front().find("probe") != std::string::npos;
                        }).base();
    CHECK(std::vector<ZmqFrames>(after_probes, messages.end()) == numbered(100, 200));
    sluice.signal(SIGTERM);
    CHECK(sluice.wait(10s) == 0);
}
