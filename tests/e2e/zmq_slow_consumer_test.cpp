// End-to-end: a slow ZeroMQ consumer behind the real sluice binary, seen through its status
// socket and its memory use.

#include "drivers/zmq/zmq_test_peer.hpp"
#include "tests/e2e/zmq_e2e_support.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>

using namespace sluice::test;
using sluice::testing::free_tcp_endpoint;
using namespace std::chrono_literals;

namespace {

std::string pipeline(const TempDir& dir, const std::string& in, const std::string& out,
                     const std::string& buffer) {
    return "version: 1\ndaemon:\n  status_socket: " + dir.file("status.sock") +
           "\nsources:\n  in:\n    type: zmq\n    socket: pull\n    bind: " + in +
           "\nsinks:\n  out:\n    type: zmq\n    inputs: [in]\n    socket: push\n    bind: " + out +
           "\n    hwm: 100\n    buffer: " + buffer + "\n";
}

/// received == sent + dropped + buffered, read from one status reply each.
bool balanced(const std::string& socket) {
    auto in = status_counter(socket, "out", "events_in");
    auto out = status_counter(socket, "out", "events_out");
    auto dropped = status_counter(socket, "out", "events_dropped");
    auto depth = status_counter(socket, "out", "queue_depth");
    return in && out && dropped && depth && *in == *out + *dropped + *depth;
}

} // namespace

TEST_CASE("a stalled consumer shows as queue depth and, under block, holds the sources back") {
    TempDir dir;
    auto in = free_tcp_endpoint();
    auto out = free_tcp_endpoint();
    auto config =
        dir.write("pipeline.yaml", pipeline(dir, in, out, "{max_events: 2000, when_full: block}"));
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    auto socket = dir.file("status.sock");
    CheckingPuller puller(out, false, [](std::uint64_t k) { return k; });
    puller.set_reading(false);
    FastPusher pusher(in, 200'000, 200);
    // The queue fills to its bound; the source stops taking messages, so the producer, whose
    // own queues fill up next, cannot finish.
    REQUIRE(wait_until([&] { return status_counter(socket, "out", "queue_depth") >= 2000; }));
    CHECK_FALSE(wait_until([&] { return pusher.done(); }, 500ms));
    auto taken = status_counter(socket, "in", "events_out");
    REQUIRE(taken);
    CHECK(*taken < 200'000);
    // Bounded: max_events, plus the batch being written, plus at most one batch of messages
    // the source had taken before it saw that the queue was full.
    auto depth = status_counter(socket, "out", "queue_depth");
    REQUIRE(depth);
    CHECK(*depth <= 2000 + 1024 + 1024);
    CHECK(status_counter(socket, "out", "events_dropped") == 0);
    puller.set_reading(true);
    REQUIRE(wait_until([&] { return puller.received() == 200'000; }, 60s));
    CHECK(puller.first_error().empty());
    REQUIRE(wait_until([&] { return status_counter(socket, "out", "queue_depth") == 0; }));
    CHECK(balanced(socket));
    sluice.signal(SIGTERM);
    CHECK(sluice.wait(10s) == 0);
}

TEST_CASE("drop_oldest in front of a stalled consumer counts drops and keeps memory bounded") {
    TempDir dir;
    auto in = free_tcp_endpoint();
    auto out = free_tcp_endpoint();
    auto config = dir.write("pipeline.yaml",
                            pipeline(dir, in, out, "{max_events: 1000, when_full: drop_oldest}"));
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    auto socket = dir.file("status.sock");
    CheckingPuller puller(out, false, [](std::uint64_t) { return 0; });
    puller.set_reading(false);
    REQUIRE(wait_until([&] { return status_counter(socket, "out", "queue_depth").has_value(); }));
    auto baseline_kib = resident_kib(sluice.pid());
    // 300,000 readings of 1 KiB: 300 MB that would pile up if anything kept them all.
    constexpr std::uint64_t kSent = 300'000;
    FastPusher pusher(in, kSent, 1024);
    std::int64_t peak_kib = 0;
    REQUIRE(wait_until(
        [&] {
            peak_kib = std::max(peak_kib, resident_kib(sluice.pid()));
            return status_counter(socket, "in", "events_out") == static_cast<std::int64_t>(kSent);
        },
        120s));
    INFO("VmRSS " << baseline_kib << " KiB at start, " << peak_kib << " KiB at peak");
    CHECK(peak_kib - baseline_kib < 64 * 1024);
    auto dropped = status_counter(socket, "out", "events_dropped");
    REQUIRE(dropped);
    CHECK(*dropped > static_cast<std::int64_t>(kSent) / 2);
    CHECK(status_counter(socket, "out", "queue_depth") <= 1000 + 1024);
    CHECK(balanced(socket));
    // What was not dropped still reaches the consumer once it reads again.
    puller.set_reading(true);
    REQUIRE(wait_until([&] {
        return status_counter(socket, "out", "queue_depth") == 0 &&
               static_cast<std::int64_t>(puller.received()) ==
                   status_counter(socket, "out", "events_out");
    }));
    CHECK(static_cast<std::int64_t>(puller.received()) + *dropped ==
          static_cast<std::int64_t>(kSent));
    sluice.signal(SIGTERM);
    CHECK(sluice.wait(10s) == 0);
}

TEST_CASE("SIGTERM with a stalled consumer ends within shutdown_timeout plus linger") {
    TempDir dir;
    auto in = free_tcp_endpoint();
    auto out = free_tcp_endpoint();
    auto yaml =
        pipeline(dir, in, out, "{max_events: 5000, when_full: block}") + "    linger: 500ms\n";
    yaml.replace(yaml.find("\nsources:"), 0, "\n  shutdown_timeout: 1s");
    auto config = dir.write("pipeline.yaml", yaml);
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    auto socket = dir.file("status.sock");
    CheckingPuller puller(out, false, [](std::uint64_t k) { return k; });
    puller.set_reading(false);
    // 4 KiB readings: the 5000 queued ones (20 MB) are more than every buffer between sluice
    // and the stalled consumer can take (sluice's 100-message hwm, at most 4 MiB of kernel send
    // buffer, the consumer's 256 KiB receive buffer and 1000-message hwm: about 9 MB), so the
    // sink cannot drain them at shutdown.
    FastPusher pusher(in, 50'000, 4096);
    REQUIRE(wait_until([&] { return status_counter(socket, "out", "queue_depth") >= 5000; }));
    auto exit = sluice.terminate(10s);
    INFO(sluice.stderr_text());
    REQUIRE(exit.exit_code == 0);
    CHECK(exit.took < 3s);
    CHECK(sluice.stderr_text().find("shutdown_timeout reached") != std::string::npos);
}
