// End-to-end: a sink that cannot open backs off and retries (state backoff), across a reload
// that keeps it, and reports what it still held if the daemon stops before it could open; a
// file sink whose rotation cannot start the new file does the same and loses nothing.

#include "tests/e2e/ops_support.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>

using namespace sluice;
using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

/// stdin (a FIFO the test writes) -> `late`, a file sink in a directory that does not exist
/// yet, and `copy`, a file sink that works.
std::string late_directory_config(const TempDir& dir, const std::string& shutdown_timeout) {
    return dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + dir.file("status.sock") +
                                          R"(
  shutdown_timeout: )" + shutdown_timeout +
                                          R"(
sources:
  in: {type: stdin}
sinks:
  late:
    type: file
    inputs: [in]
    path: )" + dir.file("later/out.jsonl") +
                                          R"(
    reconnect_min: 20ms
    reconnect_max: 200ms
  copy:
    type: file
    inputs: [in]
    path: )" + dir.file("copy.jsonl") + "\n");
}

std::string state_of(const std::string& socket, const std::string& name) {
    auto status = ask(socket, R"({"cmd":"status"})");
    const auto* row = status ? component(*status, name) : nullptr;
    const auto* state = row ? row->find("state") : nullptr;
    return state ? state->as_string() : "";
}

} // namespace

TEST_CASE("a file sink whose directory appears later delivers every event, across a reload") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(late_directory_config(dir, "5s"), socket, input.path());

    constexpr int kEvents = 200;
    input.write(numbered_lines(0, kEvents));
    REQUIRE(wait_until([&] { return counter(socket, "copy", "events_out") == kEvents; }));
    REQUIRE(wait_until([&] { return state_of(socket, "late") == "backoff"; }));
    CHECK(counter(socket, "late", "queue_depth") == kEvents);
    // Retried, not given up on: failures keep being counted.
    REQUIRE(wait_until([&] { return counter(socket, "late", "errors") >= 2; }));

    // A reload that keeps the sink keeps it retrying, with what it holds.
    auto reload = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reload);
    CHECK(reload->find("ok")->as_bool());
    CHECK(state_of(socket, "late") == "backoff");
    CHECK(counter(socket, "late", "queue_depth") == kEvents);

    std::filesystem::create_directory(dir.file("later"));
    REQUIRE(wait_until([&] { return counter(socket, "late", "events_out") == kEvents; }));
    CHECK(state_of(socket, "late") == "running");
    CHECK(read_file(dir.file("later/out.jsonl")) == numbered_lines(0, kEvents));
    CHECK(counter(socket, "late", "events_dropped") == 0);

    input.close();
    CHECK(daemon->wait(20s) == 0);
    auto log = daemon->stderr_text();
    INFO(log);
    CHECK(log.find("late: state backoff: cannot open") != std::string::npos);
    CHECK(log.find("late: state running: opened") != std::string::npos);
}

TEST_CASE("events held by a sink that never opened are reported when the daemon stops") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(late_directory_config(dir, "300ms"), socket, input.path());

    input.write(numbered_lines(0, 10));
    REQUIRE(wait_until([&] { return counter(socket, "late", "queue_depth") == 10; }));
    REQUIRE(wait_until([&] { return state_of(socket, "late") == "backoff"; }));

    daemon->signal(SIGTERM);
    CHECK(daemon->wait(20s) == 0);
    auto log = daemon->stderr_text();
    INFO(log);
    CHECK(log.find("late: abandoned 10 queued events (counted as dropped): shutdown_timeout "
                   "reached") != std::string::npos);
    CHECK(read_lines(dir.file("copy.jsonl")).size() == 10);
}

TEST_CASE("a file sink whose directory is gone at a rotation writes every event once it is back") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto logs = dir.file("logs");
    auto away = dir.file("logs.away");
    std::filesystem::create_directory(logs);
    auto config = dir.write("pipeline.yaml", "version: 1\ndaemon:\n  status_socket: " + socket +
                                                 "\nsources:\n  in: {type: stdin}\nsinks:\n"
                                                 "  archive:\n    type: file\n    inputs: [in]\n"
                                                 "    path: " +
                                                 logs +
                                                 "/out.jsonl\n    rotate_bytes: 1KiB\n"
                                                 "    keep: 100\n    reconnect_min: 20ms\n"
                                                 "    reconnect_max: 200ms\n");
    auto daemon = start_daemon(config, socket, input.path());
    input.write(numbered_lines(0, 100));
    REQUIRE(wait_until([&] { return counter(socket, "archive", "events_out") == 100; }));

    // The directory goes away: the next rotation cannot start its new file.
    std::filesystem::rename(logs, away);
    input.write(numbered_lines(100, 100));
    REQUIRE(wait_until([&] { return state_of(socket, "archive") == "backoff"; }));
    REQUIRE(wait_until([&] { return counter(socket, "archive", "errors") >= 2; }));
    CHECK(counter(socket, "archive", "events_dropped") == 0);
    CHECK(counter(socket, "archive", "events_out") < 200);

    std::filesystem::rename(away, logs);
    REQUIRE(wait_until([&] { return counter(socket, "archive", "events_out") == 200; }));
    CHECK(state_of(socket, "archive") == "running");
    input.close();
    CHECK(daemon->wait(20s) == 0);

    // Oldest file first, every event exactly once and in order.
    std::string all;
    for (int i = 100; i >= 0; --i) {
        auto path = logs + "/out.jsonl" + (i > 0 ? "." + std::to_string(i) : "");
        if (std::filesystem::exists(path)) {
            all += read_file(path);
        }
    }
    CHECK(all == numbered_lines(0, 200));
    auto log = daemon->stderr_text();
    INFO(log);
    CHECK(log.find("archive: cannot start a new file after rotating") != std::string::npos);
    CHECK(log.find("archive: state running: opened") != std::string::npos);
}
