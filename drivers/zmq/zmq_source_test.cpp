// The zmq source against real PUSH and PUB peers in threads.

#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/test_support.hpp"
#include "drivers/zmq/zmq_source.hpp"
#include "drivers/zmq/zmq_test_peer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string source_yaml(const std::string& body) {
    return "version: 1\nsources:\n  z:\n    type: zmq\n" + body +
           "sinks:\n  out: {type: null, inputs: [z]}\n";
}

/// A zmq source running on its own loop, feeding a CollectingOutput.
struct SourceRun {
    explicit SourceRun(const std::string& body) {
        Diagnostics diagnostics;
        source = ZmqSource::make(component(source_yaml(body), "z"), diagnostics);
        REQUIRE(source);
        scope.spawn(run_source(source.get(), &scheduler, &output, &outcome), "z");
    }
    ~SourceRun() {
        source->stop();
        output.set_accepting(true);
        CHECK(run_until(scheduler, [&] { return scope.active() == 0; }));
        source.reset();
        scheduler.run();
        CHECK(scheduler.close());
    }
    bool run_until_lines(std::size_t n, std::chrono::seconds timeout = std::chrono::seconds(20)) {
        return run_until(
            scheduler, [&] { return output.lines.size() >= n; }, timeout);
    }
    ComponentStatus& status() { return source->status(); }

    Scheduler scheduler;
    Scope scope{scheduler};
    std::unique_ptr<Source> source;
    CollectingOutput output{scheduler};
    std::string outcome;
};

std::vector<ZmqFrames> numbered(int from, int to) {
    std::vector<ZmqFrames> messages;
    for (int i = from; i < to; ++i) {
        messages.push_back({"{\"i\":" + std::to_string(i) + "}"});
    }
    return messages;
}

std::vector<std::string> numbered_lines(int from, int to) {
    std::vector<std::string> lines;
    for (int i = from; i < to; ++i) {
        lines.push_back("{\"i\":" + std::to_string(i) + "}");
    }
    return lines;
}

std::string build_errors(const std::string& body) {
    Diagnostics diagnostics;
    auto source = ZmqSource::make(component(source_yaml(body), "z"), diagnostics);
    CHECK_FALSE(source);
    std::string errors;
    for (const auto& d : diagnostics.all()) {
        errors += d.message + "\n";
    }
    return errors;
}

} // namespace

TEST_CASE("zmq pull source decodes every message of a push peer, several per batch") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "in");
    SourceRun run("    socket: pull\n    bind: " + endpoint + "\n");
    ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint});
    peer.send(numbered(0, 10'000));
    REQUIRE(run.run_until_lines(10'000));
    CHECK(run.output.lines == numbered_lines(0, 10'000));
    CHECK(run.output.pushes < 10'000);
    CHECK(run.status().events_in == 10'000);
    CHECK(run.status().events_out == 10'000);
    CHECK(run.status().errors == 0);
    CHECK(run.status().state == ComponentState::running);
}

TEST_CASE("zmq sub source receives only its topics and puts the topic in a field") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "pub");
    ZmqPeer peer({.type = zmq::socket_type::pub, .endpoint = endpoint, .bind = true});
    SourceRun run("    socket: sub\n    connect: " + endpoint + "\n    topics: [a, c]\n");
    int round = 0;
    auto send_round = [&] {
        for (std::string topic : {"a", "b", "c"}) {
            peer.send_one({topic, "{\"r\":" + std::to_string(round) + "}"});
        }
        ++round;
    };
    // PUB drops what it sends before the subscription reaches it: send until something arrives.
    REQUIRE(run_until(run.scheduler, [&] {
        send_round();
        return !run.output.lines.empty();
    }));
    int last = round + 100;
    while (round < last) {
        send_round();
    }
    auto final_c = "{\"r\":" + std::to_string(last - 1) + ",\"topic\":\"c\"}";
    REQUIRE(run_until(run.scheduler, [&] {
        return !run.output.lines.empty() && run.output.lines.back() == final_c;
    }));
    for (const auto& line : run.output.lines) {
        CHECK((line.ends_with(",\"topic\":\"a\"}") || line.ends_with(",\"topic\":\"c\"}")));
    }
}

TEST_CASE("zmq sub source takes a single-frame topic from topic_separator") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "pub");
    ZmqPeer peer({.type = zmq::socket_type::pub, .endpoint = endpoint, .bind = true});
    SourceRun run(
        "    socket: sub\n    connect: " + endpoint +
        "\n    topics: [\"room/\"]\n    topic_separator: \" \"\n    topic_field: where\n");
    REQUIRE(run_until(run.scheduler, [&] {
        peer.send_one({"hall {\"t\":0}"});
        peer.send_one({"room/1 {\"t\":20.5}"});
        return !run.output.lines.empty();
    }));
    CHECK(run.output.lines.front() == R"({"t":20.5,"where":"room/1"})");
}

TEST_CASE("zmq sub source gives a single-frame message the subscription it matched") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "pub");
    ZmqPeer peer({.type = zmq::socket_type::pub, .endpoint = endpoint, .bind = true});
    SourceRun run("    socket: sub\n    connect: " + endpoint +
                  "\n    topics: [\"alarm/\", \"alarm/fan\"]\n    decode: text\n");
    REQUIRE(run_until(run.scheduler, [&] {
        peer.send_one({"alarm/fan on"});
        return !run.output.lines.empty();
    }));
    CHECK(run.output.lines.front() == R"({"message":"alarm/fan on","topic":"alarm/fan"})");
}

TEST_CASE("zmq source drops messages of three frames and counts them") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "in");
    SourceRun run("    socket: pull\n    bind: " + endpoint + "\n");
    ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint});
    peer.send({{"a", "b", "{\"i\":0}"}, {"{\"i\":1}"}, {"t", "{\"i\":2}"}});
    REQUIRE(run.run_until_lines(2));
    CHECK(run.output.lines == std::vector<std::string>{R"({"i":1})", R"({"i":2,"topic":"t"})"});
    CHECK(run.status().errors == 1);
}

TEST_CASE("zmq source never takes a message over max_frame_bytes") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "in");
    SourceRun run("    socket: pull\n    bind: " + endpoint + "\n    max_frame_bytes: 1KiB\n");
    ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint});
    peer.send_one({"{\"big\":\"" + std::string(4096, 'x') + "\"}"});
    // libzmq drops the connection that carried the big frame; the peer reconnects and the
    // small messages after it get through.
    int i = 0;
    REQUIRE(run_until(run.scheduler, [&] {
        if (peer.idle()) {
            peer.send(numbered(i, i + 1));
            ++i;
        }
        return !run.output.lines.empty();
    }));
    for (const auto& line : run.output.lines) {
        CHECK(line.starts_with("{\"i\":"));
    }
}

TEST_CASE("a backpressured zmq source stops receiving and later loses nothing") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "in");
    SourceRun run("    socket: pull\n    bind: " + endpoint + "\n    hwm: 10\n");
    run.output.set_accepting(false);
    ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint, .hwm = 10});
    peer.send(numbered(0, 5000));
    // The queues between the peer and the source fill up; the peer has to wait.
    CHECK_FALSE(run_until(
        run.scheduler, [&] { return peer.sent() == 5000; }, std::chrono::milliseconds(300)));
    CHECK(run.output.lines.empty());
    run.output.set_accepting(true);
    REQUIRE(run.run_until_lines(5000));
    CHECK(run.output.lines == numbered_lines(0, 5000));
}

TEST_CASE("zmq source resumes after its push peer restarts") {
    test::TempDir dir;
    auto endpoint = ipc_endpoint(dir.path(), "in");
    SourceRun run("    socket: pull\n    connect: " + endpoint + "\n    reconnect_min: 10ms\n" +
                  "    reconnect_max: 50ms\n");
    {
        ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint, .bind = true});
        peer.send(numbered(0, 100));
        REQUIRE(run.run_until_lines(100));
    }
    ZmqPeer restarted({.type = zmq::socket_type::push, .endpoint = endpoint, .bind = true});
    restarted.send(numbered(100, 200));
    REQUIRE(run.run_until_lines(200));
    CHECK(run.output.lines == numbered_lines(0, 200));
}

TEST_CASE("stopping a zmq source ends its run at once and releases the context") {
    test::TempDir dir;
    {
        SourceRun run("    socket: sub\n    bind: " + ipc_endpoint(dir.path(), "in") + "\n");
        REQUIRE(run_until(run.scheduler,
                          [&] { return run.status().state == ComponentState::running; }));
        run.source->stop();
        REQUIRE(run_until(
            run.scheduler, [&] { return run.scope.active() == 0; },
            std::chrono::milliseconds(500)));
        CHECK(run.outcome == "cancelled");
    }
    CHECK_FALSE(ZmqContext::alive());
}

TEST_CASE("zmq source options are checked when the pipeline is built") {
    CHECK_THAT(build_errors("    socket: pull\n"), Catch::Contains("needs 'connect' or 'bind'"));
    CHECK_THAT(build_errors("    socket: pull\n    bind: tcp://*:5556\n    topics: [a]\n"),
               Catch::Contains("'topics' applies to socket: sub only"));
}

TEST_CASE("a bad zmq source endpoint is reported at its own line and column") {
    CHECK(load_errors(source_yaml("    socket: pull\n    connect: 127.0.0.1:5556\n")) ==
          "test.yaml:6:14: error: invalid value '127.0.0.1:5556' for 'connect', expected "
          "tcp://host:port or ipc:///path\n");
    // In a list, each bad item is named at its own place, not at the list.
    auto long_ipc = "ipc:///" + std::string(107, 'p');
    auto errors = load_errors(source_yaml("    socket: pull\n    connect:\n"
                                          "      - tcp://127.0.0.1:1\n      - udp://x\n"
                                          "    bind: [tcp://*:2, " +
                                          long_ipc + "]\n"));
    // (The message shortens the long value.)
    CHECK_THAT(errors, Catch::StartsWith("test.yaml:8:9: error: invalid value 'udp://x' for "
                                         "'connect', expected tcp://host:port or ipc:///path\n"
                                         "test.yaml:9:23: error: invalid value 'ipc:///ppp"));
    CHECK_THAT(errors, Catch::EndsWith("' for 'bind' (its path is 108 bytes), expected an ipc:// "
                                       "path of at most 107 bytes\n"));
    CHECK(std::count(errors.begin(), errors.end(), '\n') == 2);
    CHECK(load_errors(source_yaml("    socket: pull\n    connect: [tcp://127.0.0.1:1, \"\"]\n"))
              .empty());
}

TEST_CASE("a zmq source whose bind endpoint is in use backs off and binds once it is free") {
    auto endpoint = free_tcp_endpoint();
    SourceRun run("    socket: pull\n    bind: " + endpoint + "\n    reconnect_min: 10ms\n" +
                  "    reconnect_max: 20ms\n");
    {
        // What a reload's predecessor, still closing, looks like to the new source.
        ZmqSocket holder(run.scheduler, ZMQ_PULL);
        holder.bind(endpoint);
        REQUIRE(run_until(run.scheduler,
                          [&] { return run.status().state == ComponentState::backoff; }));
        CHECK(run.status().errors == 1);
        CHECK_THAT(run.status().last_error, Catch::Contains("in use"));
        holder.close(0);
    }
    REQUIRE(
        run_until(run.scheduler, [&] { return run.status().state == ComponentState::running; }));
    ZmqPeer peer({.type = zmq::socket_type::push, .endpoint = endpoint});
    peer.send(numbered(0, 10));
    REQUIRE(run.run_until_lines(10));
    CHECK(run.output.lines == numbered_lines(0, 10));
}
