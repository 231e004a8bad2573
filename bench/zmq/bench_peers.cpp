#include "bench/zmq/bench_peers.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <netinet/in.h>
#include <random>
#include <stdexcept>
#include <string_view>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <zmq.hpp>

namespace sluice::bench {

namespace {

constexpr int kHwm = 10'000;

std::int64_t parse_send_time(std::string_view payload) {
    auto at = payload.find("\"t\":");
    if (at == std::string_view::npos) {
        return -1;
    }
    std::int64_t t = -1;
    std::from_chars(payload.data() + at + 4, payload.data() + payload.size(), t);
    return t;
}

void sleep_until(std::int64_t deadline_ns) {
    timespec ts{static_cast<time_t>(deadline_ns / 1'000'000'000),
                static_cast<long>(deadline_ns % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) != 0) {
    }
}

void send_all(const FlowOptions& options, std::int64_t start_ns, int timeout_ms) {
    zmq::context_t context(1);
    zmq::socket_t socket(context, zmq::socket_type::push);
    socket.set(zmq::sockopt::sndhwm, kHwm);
    socket.set(zmq::sockopt::linger, timeout_ms);
    socket.set(zmq::sockopt::sndtimeo, timeout_ms);
    socket.connect(options.send_to);
    char message[160];
    static constexpr const char* kSensors[] = {"t1", "t2", "t3", "t4"};
    for (std::uint64_t i = 0; i < options.count; ++i) {
        if (options.rate > 0) {
            sleep_until(start_ns +
                        static_cast<std::int64_t>(static_cast<double>(i) * 1e9 / options.rate));
        }
        int n = std::snprintf(
            message, sizeof message, "{\"sensor\":\"%s\",\"seq\":%llu,\"temp\":%.1f,\"t\":%lld}",
            kSensors[i % 4], static_cast<unsigned long long>(i),
            20.0 + static_cast<double>(i % 100) / 10.0, static_cast<long long>(monotonic_ns()));
        if (!socket.send(zmq::const_buffer(message, static_cast<std::size_t>(n)),
                         zmq::send_flags::none)) {
            return; // the receiving side stalled; run_flow reports the shortfall
        }
    }
}

} // namespace

std::int64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

FlowResult run_flow(const FlowOptions& options, double timeout_s) {
    FlowResult result;
    zmq::context_t context(1);
    zmq::socket_t receiver(context, zmq::socket_type::pull);
    receiver.set(zmq::sockopt::rcvhwm, kHwm);
    receiver.set(zmq::sockopt::linger, 0);
    auto timeout_ms = static_cast<int>(timeout_s * 1000);
    receiver.set(zmq::sockopt::rcvtimeo, timeout_ms);
    if (options.receiver_binds) {
        receiver.bind(options.receive_from);
    } else {
        receiver.connect(options.receive_from);
    }
    if (options.measure_latency) {
        result.latencies_ns.reserve(options.count);
    }
    result.start_ns = monotonic_ns();
    std::thread sender([&] { send_all(options, result.start_ns, timeout_ms); });
    zmq::message_t message;
    while (result.received < options.count) {
        if (!receiver.recv(message, zmq::recv_flags::none)) {
            break; // no progress within the timeout
        }
        ++result.received;
        if (options.measure_latency) {
            auto sent = parse_send_time({static_cast<const char*>(message.data()), message.size()});
            if (sent > 0) {
                result.latencies_ns.push_back(monotonic_ns() - sent);
            }
        }
    }
    result.end_ns = monotonic_ns();
    sender.join();
    return result;
}

int free_tcp_port() {
    // Below the ephemeral range (32768 and up): no port another program got from bind(0) or a
    // connect(), so no foreign peer joins our sockets and no connect meets itself.
    static std::mt19937 random(static_cast<unsigned>(monotonic_ns()));
    for (int attempt = 0; attempt < 1000; ++attempt) {
        int port = std::uniform_int_distribution<int>(20000, 32000)(random);
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        if (free) {
            return port;
        }
    }
    throw std::runtime_error("no free port");
}

} // namespace sluice::bench
