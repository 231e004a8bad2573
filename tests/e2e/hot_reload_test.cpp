// End-to-end: hot reload of the real daemon (SIGHUP and the `reload` command) without loss.

#include "tests/e2e/ops_support.hpp"
#include "tests/e2e/peers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <set>
#include <thread>

using namespace sluice;
using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

/// stdin -> map (marks each event with `version`) -> file, plus `stages` and `sinks`.
std::string write_config(const TempDir& dir, int version, const std::string& stages = "",
                         const std::string& sinks = "") {
    return dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + dir.file("status.sock") +
                                          R"(
sources:
  in:
    type: stdin
stages:
  mark:
    type: map
    inputs: [in]
    set:
      version: )" + std::to_string(version) +
                                          "\n" + stages + R"(sinks:
  out:
    type: file
    inputs: [mark]
    path: )" + dir.file("out.jsonl") + "\n" +
                                          sinks);
}

/// "LINE:COL" of the first occurrence of `word` in `text`.
std::string line_col(const std::string& text, const std::string& word) {
    auto at = text.find(word);
    auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
    auto line_start = text.rfind('\n', at);
    return std::to_string(line) + ":" + std::to_string(at - line_start);
}

struct Line {
    std::int64_t seq;
    std::int64_t version;
};

std::vector<Line> read_output(const std::string& path) {
    std::vector<Line> out;
    for (const auto& text : read_lines(path)) {
        std::string error;
        auto event = parse_json(text, error);
        REQUIRE(event);
        out.push_back({event->find("seq")->as_int(), event->find("version")->as_int()});
    }
    return out;
}

} // namespace

TEST_CASE("reloading ten times while events stream loses and duplicates nothing") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(write_config(dir, 0), socket, input.path());

    constexpr int kChunk = 20000;
    constexpr int kReloads = 10;
    for (int reload = 1; reload <= kReloads; ++reload) {
        // The reload lands while the chunk is still in the pipe and in the daemon's buffers.
        input.write(numbered_lines((reload - 1) * kChunk, kChunk));
        write_config(dir, reload);
        auto reply = ask(socket, R"({"cmd":"reload"})");
        REQUIRE(reply);
        REQUIRE(reply->find("ok")->as_bool());
        CHECK(reply->find("summary")->as_string() ==
              "2 kept, 1 replaced, 0 added, 0 removed; replaced: mark");
    }
    constexpr int kTail = 1000;
    input.write(numbered_lines(kChunk * kReloads, kTail));
    input.close();
    REQUIRE(daemon->wait(60s) == 0);

    auto lines = read_output(dir.file("out.jsonl"));
    REQUIRE(lines.size() == kChunk * kReloads + kTail);
    std::set<std::int64_t> versions;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        // One source, a kept sink: exactly once, and in order.
        REQUIRE(lines[i].seq == static_cast<std::int64_t>(i));
        if (i > 0) {
            REQUIRE(lines[i].version >= lines[i - 1].version);
        }
        versions.insert(lines[i].version);
    }
    CHECK(versions.size() > 1);
    CHECK(lines.back().version == kReloads);
}

TEST_CASE("an invalid file keeps the running pipeline and reports FILE:LINE:COL") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = write_config(dir, 1);
    auto daemon = start_daemon(config, socket, input.path());
    input.write(numbered_lines(0, 3));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == 3; }));

    auto broken = write_config(dir, 1, "", "  typo: {type: file, inputs: [mark], pathh: x}\n");
    auto where = broken + ":" + line_col(read_file(broken), "pathh");
    auto reply = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reply);
    CHECK_FALSE(reply->find("ok")->as_bool());
    auto error = reply->find("error")->as_string();
    CHECK(error.find(where + ": error: unknown key 'pathh'") != std::string::npos);

    // The old pipeline runs on, and status and the CLI show the failure.
    input.write(numbered_lines(3, 3));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == 6; }));
    auto status = ask(socket, R"({"cmd":"status"})");
    REQUIRE(status);
    const auto* last = status->find("last_reload");
    CHECK_FALSE(last->find("ok")->as_bool());
    CHECK(last->find("error")->as_string() == error);
    CHECK(status->find("reloads_failed")->as_int() == 1);
    auto cli = run({sluice_binary(), "reload", "-c", config});
    CHECK(cli.exit_code == 1);
    CHECK(cli.err.find(where + ": error: unknown key 'pathh'") != std::string::npos);
    CHECK(daemon->stderr_text().find("reload failed") != std::string::npos);
    CHECK(daemon->stderr_text().find(where + ": error: unknown key 'pathh'") != std::string::npos);

    write_config(dir, 2);
    auto fixed = run({sluice_binary(), "reload", "-c", config});
    CHECK(fixed.exit_code == 0);
    CHECK(fixed.out == "reloaded: 2 kept, 1 replaced, 0 added, 0 removed; replaced: mark\n");
    input.write(numbered_lines(6, 1));
    input.close();
    REQUIRE(daemon->wait(20s) == 0);
    auto lines = read_output(dir.file("out.jsonl"));
    REQUIRE(lines.size() == 7);
    CHECK(lines[5].version == 1);
    CHECK(lines[6].version == 2);
}

TEST_CASE("SIGHUP reloads and an unchanged stage keeps its state and counters") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    // A threshold stage raises its alarm once; if a reload reset it, it would raise it again.
    std::string stage = R"(  alarm:
    type: threshold
    inputs: [in]
    field: seq
    above: 1
)";
    std::string sink = R"(  alarms:
    type: file
    inputs: [alarm]
    path: )" + dir.file("alarms.jsonl") +
                       "\n";
    auto with_alarm = [&](int version) { return write_config(dir, version, stage, sink); };
    auto config = with_alarm(1);
    auto daemon = start_daemon(config, socket, input.path());
    input.write(numbered_lines(0, 5));
    REQUIRE(wait_until([&] { return read_lines(dir.file("alarms.jsonl")).size() == 1; }));

    with_alarm(2);
    daemon->signal(SIGHUP);
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && status->find("reloads_ok")->as_int() == 1;
    }));
    auto status = ask(socket, R"({"cmd":"status"})");
    REQUIRE(status);
    CHECK(status->find("last_reload")->find("summary")->as_string() ==
          "4 kept, 1 replaced, 0 added, 0 removed; replaced: mark");
    input.write(numbered_lines(5, 5));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == 10; }));
    // Counters of the kept stage continue; the replaced stage starts again.
    CHECK(counter(socket, "alarm", "events_in") == 10);
    CHECK(counter(socket, "mark", "events_in") == 5);
    input.close();
    REQUIRE(daemon->wait(20s) == 0);
    CHECK(read_lines(dir.file("alarms.jsonl")).size() == 1);
}

TEST_CASE("a replaced window hands on its open window, and the last one is flushed at the end") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    // Windows this long never close on their own while the test runs: whatever comes out was
    // flushed, by the reload or by the end of input.
    auto with_window = [&](const std::string& every) {
        return write_config(dir, 1, R"(  totals:
    type: window
    inputs: [mark]
    every: )" + every + R"(
    aggregate: {n: count(), top: max(seq)}
)",
                            R"(  windows:
    type: file
    inputs: [totals]
    path: )" + dir.file("windows.jsonl") +
                                "\n");
    };
    auto windows = [&] {
        std::vector<std::pair<std::int64_t, std::int64_t>> out;
        for (const auto& text : read_lines(dir.file("windows.jsonl"))) {
            std::string error;
            auto event = parse_json(text, error);
            REQUIRE(event);
            out.emplace_back(event->find("n")->as_int(), event->find("top")->as_int());
        }
        return out;
    };
    auto config = with_window("3650d");
    auto daemon = start_daemon(config, socket, input.path());
    input.write(numbered_lines(0, 5));
    REQUIRE(wait_until([&] { return counter(socket, "totals", "events_in") == 5; }));
    CHECK(counter(socket, "totals", "queue_depth") == 1);

    with_window("7300d");
    auto reply = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reply);
    REQUIRE(reply->find("ok")->as_bool());
    CHECK(reply->find("summary")->as_string() ==
          "4 kept, 1 replaced, 0 added, 0 removed; replaced: totals");
    REQUIRE(wait_until([&] { return windows().size() == 1; }));
    CHECK(windows()[0] == std::pair<std::int64_t, std::int64_t>{5, 4});

    input.write(numbered_lines(5, 3));
    REQUIRE(wait_until([&] { return counter(socket, "totals", "events_in") == 3; }));
    input.close();
    REQUIRE(daemon->wait(20s) == 0);
    CHECK(windows() == std::vector<std::pair<std::int64_t, std::int64_t>>{{5, 4}, {3, 7}});
    CHECK(read_lines(dir.file("out.jsonl")).size() == 8);
}

TEST_CASE("a replaced sink drains before its successor writes, and removed ones stop") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = write_config(dir, 1);
    auto daemon = start_daemon(config, socket, input.path());
    input.write(numbered_lines(0, 20000));
    // Same file, new encoding: the old sink's lines all come before the new sink's.
    auto text = read_file(config);
    text += "    encode: kv\n";
    dir.write("pipeline.yaml", text);
    auto reply = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reply);
    REQUIRE(reply->find("ok")->as_bool());
    CHECK(reply->find("summary")->as_string() ==
          "2 kept, 1 replaced, 0 added, 0 removed; replaced: out");
    input.write(numbered_lines(20000, 100));
    input.close();
    REQUIRE(daemon->wait(60s) == 0);
    auto lines = read_lines(dir.file("out.jsonl"));
    REQUIRE(lines.size() == 20100);
    bool in_kv = false;
    std::int64_t expected = 0;
    for (const auto& line : lines) {
        bool kv = line.rfind("seq=", 0) == 0;
        REQUIRE((kv || !in_kv)); // never JSON again after the first kv line
        in_kv = kv;
        auto seq_text =
            kv ? line.substr(4, line.find(' ') - 4) : line.substr(7, line.find(',') - 7);
        REQUIRE(std::stoll(seq_text) == expected++);
    }
    CHECK(in_kv);
}

TEST_CASE("a reload can add and remove components, and a tap on a removed one ends") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = write_config(dir, 1, "", R"(  copy:
    type: file
    inputs: [in]
    path: )" + dir.file("copy.jsonl") + "\n");
    auto daemon = start_daemon(config, socket, input.path());
    SocketClient tap(socket);
    tap.send(R"({"cmd":"tap","component":"mark"})"
             "\n");
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && status->find("taps")->items().size() == 1;
    }));
    input.write(numbered_lines(0, 2));
    REQUIRE(tap.read_line());
    REQUIRE(tap.read_line());
    REQUIRE(wait_until([&] { return read_lines(dir.file("copy.jsonl")).size() == 2; }));

    // `mark` and `copy` go; `direct` comes.
    dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + socket + R"(
sources:
  in:
    type: stdin
sinks:
  direct:
    type: file
    inputs: [in]
    path: )" + dir.file("direct.jsonl") +
                                   "\n");
    auto reply = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reply);
    CHECK(reply->find("summary")->as_string() ==
          "1 kept, 0 replaced, 1 added, 3 removed; added: direct; removed: mark, out, copy");
    CHECK(tap.wait_closed());
    input.write(numbered_lines(2, 3));
    REQUIRE(wait_until([&] { return read_lines(dir.file("direct.jsonl")).size() == 3; }));
    auto status = ask(socket, R"({"cmd":"status"})");
    REQUIRE(status);
    CHECK(status->find("components")->items().size() == 2);
    CHECK(read_lines(dir.file("copy.jsonl")).size() == 2);
    CHECK(read_lines(dir.file("out.jsonl")).size() == 2);
    input.close();
    REQUIRE(daemon->wait(20s) == 0);
}

TEST_CASE("a tap on a replaced component goes on with its replacement") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(write_config(dir, 1), socket, input.path());
    SocketClient tap(socket);
    tap.send(R"({"cmd":"tap","component":"mark","limit":2})"
             "\n");
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && status->find("taps")->items().size() == 1;
    }));
    input.write(numbered_lines(0, 1));
    auto first = tap.read_line();
    REQUIRE(first);
    CHECK(first->find("\"version\":1}") != std::string::npos);
    write_config(dir, 2);
    auto reply = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reply);
    REQUIRE(reply->find("ok")->as_bool());
    input.write(numbered_lines(1, 1));
    auto second = tap.read_line();
    REQUIRE(second);
    CHECK(second->find("\"seq\":1,\"k\":\"x\",\"version\":2}") != std::string::npos);
    CHECK(tap.wait_closed());
}

TEST_CASE("reloading ten times while 200000 events stream over TCP delivers each exactly once") {
    TempDir dir;
    auto socket = dir.file("status.sock");
    int in_port = free_port();
    // The collector: the sink connects here; it must stay connected through every reload.
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    auto address = loopback(0);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 4) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    int out_port = ntohs(address.sin_port);

    std::string collected;
    std::atomic<std::size_t> collected_lines{0};
    std::thread collector([&] {
        int peer = ::accept(listener, nullptr, nullptr);
        char buffer[65536];
        while (peer >= 0) {
            auto n = ::recv(peer, buffer, sizeof buffer, 0);
            if (n <= 0) {
                break;
            }
            collected.append(buffer, static_cast<std::size_t>(n));
            collected_lines += static_cast<std::size_t>(std::count(buffer, buffer + n, '\n'));
        }
        ::close(peer);
    });
    struct Join {
        std::thread& thread;
        int listener;
        ~Join() {
            ::shutdown(listener, SHUT_RDWR);
            thread.join();
            ::close(listener);
        }
    } join{collector, listener};

    auto config = [&](int version) {
        return dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + socket + R"(
sources:
  in:
    type: tcp_server
    listen: 127.0.0.1:)" + std::to_string(in_port) +
                                              R"(
stages:
  mark:
    type: map
    inputs: [in]
    set:
      version: )" + std::to_string(version) + R"(
sinks:
  out:
    type: tcp_client
    inputs: [mark]
    connect: 127.0.0.1:)" + std::to_string(out_port) +
                                              "\n");
    };
    Daemon daemon(config(0), "");
    REQUIRE(wait_for_status(socket));
    int sender = connect_when_listening(in_port);
    REQUIRE(sender >= 0);

    constexpr int kChunk = 20000;
    constexpr int kReloads = 10;
    constexpr int kTail = 1000;
    for (int reload = 1; reload <= kReloads; ++reload) {
        REQUIRE(send_all(sender, numbered_lines((reload - 1) * kChunk, kChunk)));
        config(reload);
        auto reply = ask(socket, R"({"cmd":"reload"})");
        REQUIRE(reply);
        REQUIRE(reply->find("ok")->as_bool());
        CHECK(reply->find("summary")->as_string() ==
              "2 kept, 1 replaced, 0 added, 0 removed; replaced: mark");
    }
    REQUIRE(send_all(sender, numbered_lines(kChunk * kReloads, kTail)));
    ::close(sender);
    constexpr std::size_t kTotal = kChunk * kReloads + kTail;
    REQUIRE(wait_until([&] { return collected_lines.load() >= kTotal; }, std::chrono::seconds(60)));
    daemon.signal(SIGTERM);
    REQUIRE(daemon.wait(20s) == 0);
    ::shutdown(listener, SHUT_RDWR);
    collector.join();
    collector = std::thread([] {});

    std::vector<Line> lines;
    std::size_t start = 0;
    while (start < collected.size()) {
        auto end = collected.find('\n', start);
        REQUIRE(end != std::string::npos);
        std::string error;
        auto event = parse_json(std::string_view(collected).substr(start, end - start), error);
        REQUIRE(event);
        lines.push_back({event->find("seq")->as_int(), event->find("version")->as_int()});
        start = end + 1;
    }
    REQUIRE(lines.size() == kTotal);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        REQUIRE(lines[i].seq == static_cast<std::int64_t>(i));
        if (i > 0) {
            REQUIRE(lines[i].version >= lines[i - 1].version);
        }
    }
    CHECK(lines.back().version == kReloads);
}

TEST_CASE("a SIGHUP sent while sluice starts is held and reloads once it runs") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = write_config(dir, 1);
    // Blocked here, SIGHUP stays pending in the child from fork on, whatever it is doing when the
    // signal is sent: the test does not race sluice's start-up. Unheld, it would end sluice
    // before its handler is in place, or (with the mask inherited) never reach it.
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    sigset_t before;
    pthread_sigmask(SIG_BLOCK, &hup, &before);
    auto daemon = std::make_unique<Daemon>(config, input.path());
    daemon->signal(SIGHUP);
    pthread_sigmask(SIG_SETMASK, &before, nullptr);

    REQUIRE(wait_for_status(socket));
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && status->find("reloads_ok")->as_int() == 1;
    }));
    input.write(numbered_lines(0, 3));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == 3; }));
    input.close();
    REQUIRE(daemon->wait(20s) == 0);
}

TEST_CASE("a reload reports the warnings of the file it loaded") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = write_config(dir, 1);
    auto daemon = start_daemon(config, socket, input.path());

    // A stage nothing reads: `sluice check` warns, and so must the reload that adds it.
    auto with_unread = write_config(dir, 1, R"(  unread:
    type: filter
    inputs: [in]
    condition: "true"
)");
    auto warning = with_unread + ":" + line_col(read_file(with_unread), "unread") +
                   ": warning: stage 'unread' is not read by any stage, sink or actuator";
    auto reply = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reply);
    CHECK(reply->find("ok")->as_bool());
    REQUIRE(reply->find("warnings"));
    CHECK(reply->find("warnings")->as_string() == warning);
    CHECK(daemon->stderr_text().find("warn: " + warning) != std::string::npos);

    auto cli = run({sluice_binary(), "reload", "-c", config});
    CHECK(cli.exit_code == 0);
    CHECK(cli.out == "reloaded: 4 kept, 0 replaced, 0 added, 0 removed\n");
    CHECK(cli.err == warning + "\n");

    // A file without warnings has none in the reply.
    write_config(dir, 1);
    reply = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reply);
    CHECK(reply->find("ok")->as_bool());
    CHECK_FALSE(reply->find("warnings"));
    input.close();
    REQUIRE(daemon->wait(20s) == 0);
}
