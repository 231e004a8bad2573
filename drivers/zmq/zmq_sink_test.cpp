// The zmq sink and actuator against real PULL and SUB peers in threads.

#include "drivers/test_support.hpp"
#include "drivers/zmq/zmq_sink.hpp"
#include "drivers/zmq/zmq_test_peer.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string sink_yaml(const std::string& body, const char* section = "sinks") {
    return "version: 1\nsources:\n  in: {type: stdin}\n" + std::string(section) +
           ":\n  out:\n    type: zmq\n    inputs: [in]\n" + body;
}

std::vector<std::string> numbered(int from, int to) {
    std::vector<std::string> lines;
    for (int i = from; i < to; ++i) {
        lines.push_back("{\"i\":" + std::to_string(i) + "}");
    }
    return lines;
}

std::vector<ZmqFrames> numbered_frames(int from, int to) {
    std::vector<ZmqFrames> frames;
    for (const auto& line : numbered(from, to)) {
        frames.push_back({line});
    }
    return frames;
}

ZmqSink& zmq_sink(SinkHarness& h) {
    return dynamic_cast<ZmqSink&>(*h.sink);
}

/// received == sent + dropped + buffered, the counting rule of every sink.
bool balanced(ComponentStatus& s) {
    return s.events_in == s.events_out + s.events_dropped + s.queue_depth;
}

std::string build_errors(const std::string& yaml) {
    Diagnostics diagnostics;
    Scheduler scheduler;
    auto sink = ZmqSink::make(component(yaml, "out"), diagnostics, scheduler);
    CHECK_FALSE(sink);
    std::string errors;
    for (const auto& d : diagnostics.all()) {
        errors += d.message + "\n";
    }
    return errors;
}

} // namespace

TEST_CASE("zmq push sink delivers every event to a pull peer, one message each") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "out");
    ZmqPeer peer({.type = zmq::socket_type::pull, .endpoint = endpoint, .bind = true});
    SinkHarness h(sink_yaml("    socket: push\n    connect: " + endpoint + "\n"), "out");
    h.feed(numbered(0, 5000));
    REQUIRE(run_until(h.scheduler, [&] { return peer.received() == 5000; }));
    CHECK(peer.messages() == numbered_frames(0, 5000));
    REQUIRE(h.finish());
    CHECK(h.outcome == "ended");
    CHECK(h.status().events_out == 5000);
    CHECK(h.status().bytes_out > 5000 * 7);
    CHECK(balanced(h.status()));
}

TEST_CASE("zmq pub sink sends [topic, payload] with the topic rendered from the event") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "pub");
    SinkHarness h(
        sink_yaml("    socket: pub\n    bind: " + endpoint + "\n    topic: \"sensors/{sensor}\"\n"),
        "out");
    ZmqPeer peer(
        {.type = zmq::socket_type::sub, .endpoint = endpoint, .subscriptions = {"sensors/a"}});
    // Until the subscription reaches the PUB socket it has no recipient for anything.
    REQUIRE(run_until(h.scheduler, [&] {
        h.feed({R"({"sensor":"a","seq":-1})"});
        return peer.received() > 0;
    }));
    std::vector<std::string> batch;
    for (int seq = 0; seq < 100; ++seq) {
        for (std::string sensor : {"a", "b"}) {
            batch.push_back("{\"sensor\":\"" + sensor + "\",\"seq\":" + std::to_string(seq) + "}");
        }
    }
    h.feed(batch);
    ZmqFrames last{"sensors/a", R"({"sensor":"a","seq":99})"};
    REQUIRE(run_until(h.scheduler,
                      [&] { return peer.received() > 0 && peer.messages().back() == last; }));
    auto messages = peer.messages();
    int expected_seq = 0;
    for (const auto& message : messages) {
        REQUIRE(message.size() == 2);
        CHECK(message[0] == "sensors/a");
        if (message[1] != R"({"sensor":"a","seq":-1})") {
            CHECK(message[1] ==
                  "{\"sensor\":\"a\",\"seq\":" + std::to_string(expected_seq++) + "}");
        }
    }
    CHECK(expected_seq == 100);
}

TEST_CASE("zmq sink takes the topic from topic_field, and from topic when the field is missing") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "out");
    ZmqPeer peer({.type = zmq::socket_type::pull, .endpoint = endpoint, .bind = true});
    SinkHarness h(sink_yaml("    socket: push\n    connect: " + endpoint +
                            "\n    topic_field: room\n    topic: lobby\n    encode: kv\n"),
                  "out");
    h.feed({R"({"room":"hall","t":1})", R"({"t":2})", R"({"room":7,"t":3})"});
    REQUIRE(run_until(h.scheduler, [&] { return peer.received() == 3; }));
    CHECK(peer.messages() ==
          std::vector<ZmqFrames>{{"hall", "room=hall t=1"}, {"lobby", "t=2"}, {"7", "room=7 t=3"}});
}

TEST_CASE("a stalled push peer keeps events queued in the sink, and block loses none") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "out");
    ZmqPeer peer({.type = zmq::socket_type::pull,
                  .endpoint = endpoint,
                  .bind = true,
                  .hwm = 5,
                  .reading = false});
    SinkHarness h(sink_yaml("    socket: push\n    connect: " + endpoint +
                            "\n    hwm: 5\n    buffer: {max_events: 1000, when_full: block}\n"),
                  "out");
    h.feed(numbered(0, 3000));
    REQUIRE(run_until(h.scheduler, [&] { return zmq_sink(h).blocked_sends() > 0; }));
    CHECK(h.status().queue_depth > 1000);
    CHECK_FALSE(h.sink->accepting());
    CHECK(h.status().events_dropped == 0);
    CHECK(balanced(h.status()));
    peer.set_reading(true);
    REQUIRE(run_until(
        h.scheduler, [&] { return peer.received() == 3000; }, std::chrono::seconds(30)));
    CHECK(peer.messages() == numbered_frames(0, 3000));
    REQUIRE(run_until(h.scheduler, [&] { return h.status().queue_depth == 0; }));
    CHECK(h.sink->accepting());
    CHECK(h.status().events_out == 3000);
    CHECK(balanced(h.status()));
}

TEST_CASE("drop_oldest in front of a stalled peer counts drops and bounds the queue") {
    // tcp: libzmq's ipc transport can lose what is in flight to a lagging reader at close
    // (libzmq issue 4660), and this test closes while the peer catches up.
    auto endpoint = free_tcp_endpoint();
    ZmqPeer peer({.type = zmq::socket_type::pull,
                  .endpoint = endpoint,
                  .bind = true,
                  .hwm = 5,
                  .reading = false});
    SinkHarness h(
        sink_yaml("    socket: push\n    connect: " + endpoint +
                  "\n    hwm: 5\n    buffer: {max_events: 100, when_full: drop_oldest}\n"),
        "out");
    // 4 KiB events: more than the kernel's socket buffers hold, so the queue does fill up.
    auto padding = std::string(4096, 'p');
    for (int chunk = 0; chunk < 100; ++chunk) {
        std::vector<std::string> lines;
        for (int i = chunk * 100; i < chunk * 100 + 100; ++i) {
            lines.push_back("{\"i\":" + std::to_string(i) + ",\"pad\":\"" + padding + "\"}");
        }
        h.feed(lines);
        run_until(
            h.scheduler, [] { return false; }, std::chrono::milliseconds(1));
        CHECK(balanced(h.status()));
        // The queue holds max_events plus at most the one batch being written.
        CHECK(h.status().queue_depth <= 100 + 1024);
    }
    CHECK(h.status().events_dropped > 1000);
    CHECK(h.sink->accepting());
    peer.set_reading(true);
    REQUIRE(h.finish());
    REQUIRE(test::wait_until([&] { return peer.received() == h.status().events_out; }));
    CHECK(h.status().events_in == 10'000);
    CHECK(h.status().events_out + h.status().events_dropped == 10'000);
    // What got through is in order, and the newest events are among it.
    auto messages = peer.messages();
    auto number = [](const ZmqFrames& m) { return std::stoi(m[0].substr(5)); };
    for (std::size_t k = 1; k < messages.size(); ++k) {
        CHECK(number(messages[k - 1]) < number(messages[k]));
    }
    CHECK(number(messages.back()) == 9999);
}

TEST_CASE("zmq pub sink with a full subscriber waits instead of dropping unseen") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "pub");
    SinkHarness h(sink_yaml("    socket: pub\n    bind: " + endpoint + "\n    hwm: 2\n"), "out");
    ZmqPeer peer({.type = zmq::socket_type::sub, .endpoint = endpoint, .hwm = 2});
    REQUIRE(run_until(h.scheduler, [&] {
        h.feed({R"({"i":-1})"});
        return peer.received() > 0;
    }));
    peer.set_reading(false);
    h.feed(numbered(0, 5000));
    REQUIRE(run_until(h.scheduler, [&] { return zmq_sink(h).blocked_sends() > 0; }));
    CHECK(h.status().queue_depth > 0);
    CHECK(h.status().events_dropped == 0);
    peer.set_reading(true);
    REQUIRE(run_until(
        h.scheduler,
        [&] {
            auto n = peer.received();
            return n > 0 && peer.messages().back() == ZmqFrames{R"({"i":4999})"};
        },
        std::chrono::seconds(30)));
    std::vector<ZmqFrames> after_primer;
    for (const auto& message : peer.messages()) {
        if (message != ZmqFrames{R"({"i":-1})"}) {
            after_primer.push_back(message);
        }
    }
    CHECK(after_primer == numbered_frames(0, 5000));
}

TEST_CASE("messages handed to libzmq before shutdown still reach a lagging peer within linger") {
    auto endpoint = free_tcp_endpoint();
    ZmqPeer peer({.type = zmq::socket_type::pull,
                  .endpoint = endpoint,
                  .bind = true,
                  .hwm = 10,
                  .reading = false});
    SinkHarness h(sink_yaml("    socket: push\n    connect: " + endpoint +
                            "\n    hwm: 100000\n    linger: 10s\n"),
                  "out");
    // Another socket keeps the context alive, so that terminating it (which waits for the
    // linger) does not block this thread while the peer is still stalled.
    ZmqSocket keeper(h.scheduler, ZMQ_PULL);
    h.feed(numbered(0, 20'000));
    REQUIRE(h.finish());
    CHECK(h.status().events_out == 20'000);
    CHECK(peer.received() < 20'000);
    // The sink has closed its socket; libzmq still holds what the peer has not taken yet.
    peer.set_reading(true);
    REQUIRE(test::wait_until([&] { return peer.received() == 20'000; }));
    CHECK(peer.messages() == numbered_frames(0, 20'000));
}

TEST_CASE("aborting a zmq sink stuck on a stalled peer ends it at once, all counted") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "out");
    ZmqPeer peer({.type = zmq::socket_type::pull,
                  .endpoint = endpoint,
                  .bind = true,
                  .hwm = 1,
                  .reading = false});
    SinkHarness h(sink_yaml("    socket: push\n    connect: " + endpoint + "\n    hwm: 1\n"),
                  "out");
    h.feed(numbered(0, 2000));
    REQUIRE(run_until(h.scheduler, [&] { return zmq_sink(h).blocked_sends() > 0; }));
    // stop() waits for the queue to drain, which the stalled peer never allows.
    CHECK_FALSE(h.finish(std::chrono::milliseconds(200)));
    h.sink->abort();
    REQUIRE(run_until(
        h.scheduler, [&] { return h.scope.active() == 0; }, std::chrono::milliseconds(500)));
    CHECK(h.status().queue_depth == 0);
    CHECK(h.status().events_out > 0);
    CHECK(h.status().events_out + h.status().events_dropped == 2000);
}

TEST_CASE("a zmq actuator sends commands with its constant topic and its safe state at stop") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "act");
    ZmqPeer peer({.type = zmq::socket_type::pull, .endpoint = endpoint, .bind = true});
    SinkHarness h(sink_yaml("    socket: push\n    connect: " + endpoint +
                                "\n    topic: fan\n    encode: template\n    template: "
                                "\"FAN {on}\"\n    on_change_only: true\n    safe_state: "
                                "\"FAN 0\"\n",
                            "actuators"),
                  "out");
    h.feed({R"({"on":1})", R"({"on":1})", R"({"on":0})"});
    REQUIRE(run_until(h.scheduler, [&] { return peer.received() == 2; }));
    REQUIRE(h.finish());
    REQUIRE(test::wait_until([&] { return peer.received() == 3; }));
    CHECK(peer.messages() ==
          std::vector<ZmqFrames>{{"fan", "FAN 1"}, {"fan", "FAN 0"}, {"fan", "FAN 0"}});
}

TEST_CASE("zmq sink options are checked when the pipeline is built") {
    CHECK_THAT(build_errors(sink_yaml("    socket: pub\n")),
               Catch::Contains("needs 'connect' or 'bind'"));
    CHECK_THAT(build_errors(sink_yaml("    socket: pub\n    bind: tcp://*:1\n    topic: \"{a\"\n")),
               Catch::Contains("invalid topic template"));
    CHECK_THAT(build_errors(sink_yaml(
                   "    socket: pub\n    bind: tcp://*:1\n    topic: \"f/{a}\"\n", "actuators")),
               Catch::Contains("an actuator's topic must be constant"));
}

TEST_CASE("a bad zmq sink endpoint is reported at its own line and column") {
    CHECK(load_errors(sink_yaml("    socket: pub\n    bind: udp://x\n")) ==
          "test.yaml:9:11: error: invalid value 'udp://x' for 'bind', expected tcp://host:port "
          "or ipc:///path\n");
    CHECK(load_errors(sink_yaml("    socket: push\n    connect: [tcp://127.0.0.1:1, "
                                "127.0.0.1:2]\n",
                                "actuators")) ==
          "test.yaml:9:34: error: invalid value '127.0.0.1:2' for 'connect', expected "
          "tcp://host:port or ipc:///path\n");
}

TEST_CASE("a zmq sink whose bind endpoint stays in use backs off until it is aborted") {
    auto endpoint = free_tcp_endpoint();
    SinkHarness h(sink_yaml("    socket: push\n    bind: " + endpoint +
                            "\n    reconnect_min: 10ms\n    reconnect_max: 20ms\n"),
                  "out");
    ZmqSocket holder(h.scheduler, ZMQ_PULL);
    holder.bind(endpoint);
    REQUIRE(run_until(h.scheduler, [&] { return h.status().state == ComponentState::backoff; }));
    h.feed(numbered(0, 10));
    h.sink->abort();
    REQUIRE(run_until(
        h.scheduler, [&] { return h.scope.active() == 0; }, std::chrono::milliseconds(500)));
    CHECK(h.outcome == "cancelled");
    CHECK(h.status().events_dropped == 10);
    holder.close(0);
}
