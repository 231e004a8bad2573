// bench_loadgen: sends the benchmark readings to sluice (or to the reference) over TCP, UDP or
// ZeroMQ PUSH, as fast as the receiver takes them or at a fixed rate, each carrying the wall
// clock time it was written at (µs), so the sink counter can measure end-to-end latency.
// Prints one JSON line: {"sent":N,"start_us":...,"end_us":...}.

#include "bench/support/args.hpp"
#include "bench/support/clock.hpp"
#include "bench/support/latency.hpp"
#include "bench/support/net.hpp"
#include "bench/support/readings.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <zmq.hpp>

using namespace sluice::bench;

namespace {

constexpr const char* kUsage =
    "usage: bench_loadgen --transport tcp|udp|zmq (--port P | --endpoint tcp://H:P)\n"
    "         [--count N] [--rate EVENTS_PER_S (0: as fast as taken)] [--format json|influx]\n"
    "         [--sensors N] [--chunk-bytes B] [--datagram-bytes B] [--hwm N]\n";

/// Where the bytes go: a TCP stream, UDP datagrams, or ZeroMQ messages (one event each).
class Transport {
public:
    explicit Transport(const Args& args) : kind_(args.required("transport")) {
        if (kind_ == "tcp") {
            fd_ = tcp_connect(static_cast<std::uint16_t>(args.integer("port", 0)), 10'000);
        } else if (kind_ == "udp") {
            fd_ = udp_connect(static_cast<std::uint16_t>(args.integer("port", 0)));
            datagram_bytes_ = static_cast<std::size_t>(args.integer("datagram-bytes", 1400));
        } else if (kind_ == "zmq") {
            socket_ = zmq::socket_t(context_, zmq::socket_type::push);
            socket_.set(zmq::sockopt::sndhwm, static_cast<int>(args.integer("hwm", 10000)));
            socket_.set(zmq::sockopt::linger, -1);
            socket_.connect(args.required("endpoint"));
        } else {
            throw std::runtime_error("unknown transport '" + kind_ + "'");
        }
    }
    ~Transport() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    /// Sends whole lines; UDP packs them into datagrams, ZeroMQ sends one message per line.
    void send(std::string_view lines) {
        if (kind_ == "tcp") {
            write_all(fd_, lines);
        } else if (kind_ == "udp") {
            send_datagrams(lines);
        } else {
            send_messages(lines);
        }
    }

private:
    void send_datagrams(std::string_view lines) {
        while (!lines.empty()) {
            auto cut = lines.size() <= datagram_bytes_ ? lines.size()
                                                       : lines.rfind('\n', datagram_bytes_ - 1) + 1;
            if (cut == 0 || cut > lines.size()) {
                cut = lines.find('\n') + 1; // one line longer than a datagram: send it alone
            }
            if (::send(fd_, lines.data(), cut, 0) < 0 && errno != ECONNREFUSED) {
                throw_errno("send udp");
            }
            lines.remove_prefix(cut);
        }
    }
    void send_messages(std::string_view lines) {
        while (!lines.empty()) {
            auto end = lines.find('\n');
            socket_.send(zmq::buffer(lines.data(), end), zmq::send_flags::none);
            lines.remove_prefix(end + 1);
        }
    }

    std::string kind_;
    int fd_ = -1;
    std::size_t datagram_bytes_ = 1400;
    zmq::context_t context_;
    zmq::socket_t socket_;
};

struct Plan {
    std::uint64_t count;
    double rate;
    bool influx;
    std::size_t chunk_bytes;
    Readings readings;
};

void append_reading(const Plan& plan, std::string& out, std::uint64_t seq, std::int64_t ts) {
    if (plan.influx) {
        plan.readings.influx(out, seq);
    } else {
        plan.readings.json(out, seq, ts);
    }
}

/// As fast as the receiver takes them: big chunks, one timestamp per chunk.
void send_flat_out(const Plan& plan, Transport& transport) {
    std::string chunk;
    chunk.reserve(plan.chunk_bytes + 256);
    for (std::uint64_t seq = 0; seq < plan.count;) {
        chunk.clear();
        auto ts = wall_us();
        while (seq < plan.count && chunk.size() < plan.chunk_bytes) {
            append_reading(plan, chunk, seq++, ts);
        }
        transport.send(chunk);
    }
}

/// At a fixed rate: each event is written when it is due, stamped when it is written.
void send_paced(const Plan& plan, Transport& transport) {
    std::string chunk;
    auto start = mono_ns();
    auto interval = 1e9 / plan.rate;
    for (std::uint64_t seq = 0; seq < plan.count;) {
        auto now = mono_ns();
        auto due = static_cast<std::uint64_t>(static_cast<double>(now - start) / interval) + 1;
        due = std::min(due, plan.count);
        if (due > seq) {
            chunk.clear();
            auto ts = wall_us();
            while (seq < due) {
                append_reading(plan, chunk, seq++, ts);
            }
            transport.send(chunk);
        }
        sleep_until_ns(start + static_cast<std::int64_t>(static_cast<double>(seq) * interval));
    }
}

} // namespace

int main(int argc, char** argv) {
    try {
        Args args(argc, argv,
                  {"transport", "port", "endpoint", "count", "rate", "format", "sensors",
                   "chunk-bytes", "datagram-bytes", "hwm"});
        Plan plan{static_cast<std::uint64_t>(args.integer("count", 1'000'000)),
                  args.number("rate", 0),
                  args.text("format", "json") == "influx",
                  static_cast<std::size_t>(args.integer("chunk-bytes", 64 * 1024)),
                  {static_cast<std::uint32_t>(args.integer("sensors", 10))}};
        Transport transport(args);
        auto start = wall_us();
        if (plan.rate > 0) {
            send_paced(plan, transport);
        } else {
            send_flat_out(plan, transport);
        }
        auto end = wall_us();
        std::string out = "{";
        json_field(out, "sent", static_cast<std::int64_t>(plan.count));
        json_field(out, "start_us", start);
        json_field(out, "end_us", end);
        out += "}\n";
        std::fputs(out.c_str(), stdout);
        std::fflush(stdout);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_loadgen: %s\n%s", e.what(), kUsage);
        return 1;
    }
}
