// End-to-end: the real sluice binary with TCP peers: delivery to a file, hostile input,
// backpressure from a slow sink, and exec.

#include "tests/e2e/peers.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <thread>

using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

#if defined(__SANITIZE_ADDRESS__)
// ASan adds shadow memory and keeps freed memory in quarantine (16 MiB under
// scripts/test.sh --sanitize): bound growth more loosely.
constexpr long kMaxGrowthKib = 128 * 1024;
#else
constexpr long kMaxGrowthKib = 48 * 1024;
#endif

/// The sinks section: a tcp_client to 127.0.0.1:port whose 1000-event queue blocks its sources.
std::string blocking_tcp_sink(int port) {
    return "sinks:\n  out:\n    type: tcp_client\n    inputs: [in]\n    connect: 127.0.0.1:" +
           std::to_string(port) + "\n    buffer: {max_events: 1000, when_full: block}\n";
}

} // namespace

TEST_CASE("tcp_server to file delivers every line of every client") {
    TempDir dir;
    auto out = dir.file("out.jsonl");
    auto port = free_port();
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + dir.file("status.sock") +
                                                 R"(}
sources:
  in: {type: tcp_server, listen: 127.0.0.1:)" + std::to_string(port) +
                                                 R"(}
stages:
  even:
    type: filter
    inputs: [in]
    condition: n % 2 == 0
sinks:
  out: {type: file, inputs: [even], path: )" + out +
                                                 R"(}
)");
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    std::string expected;
    for (int client = 0; client < 3; ++client) {
        int fd = connect_when_listening(port);
        REQUIRE(fd >= 0);
        std::string text;
        for (int n = 0; n < 1000; ++n) {
            text += "{\"c\":" + std::to_string(client) + ",\"n\":" + std::to_string(n) + "}\n";
            if (n % 2 == 0) {
                expected +=
                    "{\"c\":" + std::to_string(client) + ",\"n\":" + std::to_string(n) + "}\n";
            }
        }
        REQUIRE(send_all(fd, text));
        ::close(fd);
        REQUIRE(wait_until([&] { return read_file(out).size() == expected.size(); }));
    }
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);
    CHECK(read_file(out) == expected);
}

TEST_CASE("hostile input is counted and dropped, without a crash or unbounded memory") {
    TempDir dir;
    auto out = dir.file("out.jsonl");
    auto json_port = free_port();
    auto nmea_port = free_port();
    auto framed_port = free_port();
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + dir.file("status.sock") +
                                                 R"(}
sources:
  json_in: {type: tcp_server, listen: 127.0.0.1:)" +
                                                 std::to_string(json_port) + R"(}
  nmea_in: {type: tcp_server, listen: 127.0.0.1:)" +
                                                 std::to_string(nmea_port) + R"(, decode: nmea}
  framed_in:
    type: tcp_server
    listen: 127.0.0.1:)" + std::to_string(framed_port) +
                                                 R"(
    framing: length_prefixed
    length_bytes: 2
sinks:
  out: {type: file, inputs: [json_in, nmea_in, framed_in], path: )" +
                                                 out + R"(}
)");
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    int json = connect_when_listening(json_port);
    int nmea = connect_when_listening(nmea_port);
    int framed = connect_when_listening(framed_port);
    REQUIRE(wait_until([&] { return resident_kib(sluice.pid()) > 0; }));
    auto baseline = resident_kib(sluice.pid());

    std::mt19937 random(42);
    std::string noise(4 << 20, '\0');
    for (auto& c : noise) {
        c = static_cast<char>(random());
    }
    REQUIRE(send_all(json, noise + "\n"));
    REQUIRE(send_all(json, std::string(10 << 20, 'x') + "\n")); // a 10 MB line
    REQUIRE(send_all(json, "{\"bad\":\"\xc3\x28\xff\"}\n\xfe\xfe\xfe\n"));
    REQUIRE(send_all(json, "{\"ok\":\"json\"}\n"));
    REQUIRE(send_all(nmea, "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*11\n"
                           "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\n"));
    // Two frames: a good one, then a prefix promising more than ever comes.
    std::string frames =
        std::string("\x00\x0b", 2) + "{\"ok\":\"lp\"}" + std::string("\xff\xff", 2) + "{\"cut\":";
    REQUIRE(send_all(framed, frames));
    ::close(framed); // the stream ends inside the frame

    REQUIRE(wait_until([&] {
        auto text = read_file(out);
        return text.find("\"ok\":\"json\"") != std::string::npos &&
               text.find("\"ok\":\"lp\"") != std::string::npos &&
               text.find("\"satellites\":8") != std::string::npos;
    }));
    auto lines = read_lines(out);
    CHECK(lines.size() == 3);
    auto status = dir.file("status.sock");
    // The noise, the 10 MB line and the two invalid lines at least; the NMEA and framed ones.
    CHECK(std::stoi("0" + component_value(status, "json_in", "errors")) >= 4);
    CHECK(component_value(status, "json_in", "events_out") == "1");
    CHECK(component_value(status, "nmea_in", "errors") == "1");
    CHECK(component_value(status, "framed_in", "errors") == "1");
    auto growth = resident_kib(sluice.pid()) - baseline;
    INFO("VmRSS grew by " << growth << " KiB");
    CHECK(growth < kMaxGrowthKib);
    CHECK_FALSE(sluice.wait(0ms));

    ::close(json);
    ::close(nmea);
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);
    auto log = sluice.stderr_text();
    CHECK(log.find("json_in: dropped") != std::string::npos);
    CHECK(log.find("nmea_in: dropped undecodable frame: checksum mismatch") != std::string::npos);
    CHECK(log.find("framed_in: dropped") != std::string::npos);
}

TEST_CASE("block backpressure: a slow tcp sink and a fast tcp source lose nothing") {
    TempDir dir;
    auto in_port = free_port();
    auto out_port = free_port();
    // The receiving peer: a small receive buffer, and it does not read at first.
    int listener = listen_on_loopback(out_port, 64 * 1024);
    REQUIRE(listener >= 0);
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + dir.file("status.sock") +
                                                 R"(}
sources:
  in: {type: tcp_server, listen: 127.0.0.1:)" + std::to_string(in_port) +
                                                 R"(}
)" + blocking_tcp_sink(out_port));
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    const int total = 200000;
    const std::string pad(100, 'p');
    std::atomic<int> sent{0};
    int writer_fd = connect_when_listening(in_port, 64 * 1024);
    REQUIRE(writer_fd >= 0);
    std::thread writer([&] {
        std::string chunk;
        for (int i = 0; i < total; ++i) {
            chunk += "{\"seq\":" + std::to_string(i) + ",\"pad\":\"" + pad + "\"}\n";
            if (chunk.size() > 16384 || i + 1 == total) {
                if (!send_all(writer_fd, chunk)) {
                    return;
                }
                chunk.clear();
                sent = i + 1;
            }
        }
    });
    // The first batch makes the sink connect; the peer accepts but does not read yet.
    int reader = ::accept(listener, nullptr, nullptr);
    REQUIRE(reader >= 0);
    // The writer stalls: every buffer on the way is full and sluice has stopped reading.
    int last = -1;
    REQUIRE(wait_until(
        [&] {
            int now = sent;
            bool stalled = now == last && now > 0;
            last = now;
            if (!stalled) {
                std::this_thread::sleep_for(200ms);
            }
            return stalled;
        },
        30s));
    CHECK(sent < total);
    auto rss_while_blocked = resident_kib(sluice.pid());
    INFO("VmRSS while blocked: " << rss_while_blocked << " KiB");
    CHECK(rss_while_blocked < kMaxGrowthKib + 64 * 1024);

    // Now read everything: each line exactly once, in order.
    std::string received;
    std::string buffer(1 << 16, '\0');
    std::size_t expected_bytes = 0;
    for (int i = 0; i < total; ++i) {
        expected_bytes += ("{\"seq\":" + std::to_string(i) + ",\"pad\":\"" + pad + "\"}\n").size();
    }
    while (received.size() < expected_bytes) {
        auto n = ::read(reader, buffer.data(), buffer.size());
        REQUIRE(n > 0);
        received.append(buffer.data(), static_cast<std::size_t>(n));
    }
    writer.join();
    ::close(writer_fd);
    std::size_t at = 0;
    bool in_order = true;
    for (int i = 0; i < total && in_order; ++i) {
        auto line = "{\"seq\":" + std::to_string(i) + ",\"pad\":\"" + pad + "\"}\n";
        in_order = received.compare(at, line.size(), line) == 0;
        at += line.size();
    }
    CHECK(in_order);
    CHECK(received.size() == expected_bytes);
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);
    ::close(reader);
    ::close(listener);
}

TEST_CASE("SIGTERM while a source waits on a full block queue ends within shutdown_timeout") {
    TempDir dir;
    auto out_port = free_port();
    // The receiving peer accepts and never reads, so the sink's queue stays full.
    int listener = listen_on_loopback(out_port);
    REQUIRE(listener >= 0);
    auto socket = dir.file("status.sock");
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + socket + R"(, shutdown_timeout: 1s}
sources:
  in: {type: generator, rate: 0}
)" + blocking_tcp_sink(out_port));
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    int reader = ::accept(listener, nullptr, nullptr);
    REQUIRE(reader >= 0);
    // The generator has filled the queue and now waits for room that never comes.
    REQUIRE(wait_until([&] {
        auto depth = component_value(socket, "out", "queue_depth");
        return !depth.empty() && std::stol(depth) >= 1000;
    }));
    auto exit = sluice.terminate(10s);
    INFO(sluice.stderr_text());
    REQUIRE(exit.exit_code == 0);
    CHECK(exit.took < 5s);
    CHECK(sluice.stderr_text().find("shutdown_timeout reached") != std::string::npos);
    ::close(reader);
    ::close(listener);
}

TEST_CASE("exec runs a command per event with only fds 0-2 and no NOTIFY_SOCKET") {
    TempDir dir;
    auto out = dir.file("exec.out");
    auto port = free_port();
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + dir.file("status.sock") +
                                                 R"(}
sources:
  gen: {type: generator, rate: 0, count: 1, keys: [k1]}
  idle: {type: tcp_server, listen: 127.0.0.1:)" + std::to_string(port) +
                                                 R"(}
sinks:
  run:
    type: exec
    inputs: [gen]
    command: [/bin/sh, -c, 'ls /proc/self/fd > )" +
                                                 out + R"(; echo "key=$KEY" >> )" + out +
                                                 R"(; env >> )" + out + R"(']
    env: {KEY: "{sensor}"}
)");
    Process sluice({sluice_binary(), "run", "-c", config},
                   {.stdin_path = {}, .stdout_path = {}, .env = {"NOTIFY_SOCKET=/dev/null"}});
    REQUIRE(wait_until([&] { return read_file(out).find("key=k1") != std::string::npos; }));
    REQUIRE(wait_until([&] { return read_file(out).find("PATH=") != std::string::npos; }));
    auto lines = read_lines(out);
    std::vector<std::string> fds;
    for (const auto& line : lines) {
        if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) {
            fds.push_back(line);
        }
    }
    CHECK(fds == std::vector<std::string>{"0", "1", "2", "3"});
    CHECK(read_file(out).find("NOTIFY_SOCKET") == std::string::npos);
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);
}

TEST_CASE("a file source without follow is a batch job: sluice exits at its end") {
    TempDir dir;
    auto in = dir.write("in.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}");
    auto out = dir.file("out.jsonl");
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon: {status_socket: )" + dir.file("status.sock") +
                                                 R"(}
sources:
  in: {type: file, path: )" + in + R"(}
sinks:
  out: {type: file, inputs: [in], path: )" + out +
                                                 R"(}
)");
    auto result = run({sluice_binary(), "run", "-c", config});
    REQUIRE(result.exit_code == 0);
    CHECK(read_file(out) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
}
