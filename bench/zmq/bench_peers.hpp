#pragma once
// The load generator and the counter around the system under test: a PUSH sender and a PULL
// receiver, each in its own thread with its own ZeroMQ context, as separate programs would be.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::bench {

/// CLOCK_MONOTONIC in ns: the same clock in every process on the machine.
std::int64_t monotonic_ns();

/// The outcome of one flow: when it started and ended, and per-message latencies if measured.
struct FlowResult {
    std::uint64_t received = 0;
    std::int64_t start_ns = 0;
    std::int64_t end_ns = 0;
    std::vector<std::int64_t> latencies_ns;
    double seconds() const { return static_cast<double>(end_ns - start_ns) / 1e9; }
    double rate() const { return static_cast<double>(received) / seconds(); }
};

struct FlowOptions {
    std::string send_to;      // the sender connects here
    std::string receive_from; // the receiver binds (raw) or connects (through sluice) here
    bool receiver_binds = false;
    std::uint64_t count = 1'000'000;
    double rate = 0; // messages/s; 0: as fast as the receiver takes them
    bool measure_latency = false;
};

/// Sends `count` readings {"sensor":..,"seq":N,"temp":..,"t":<monotonic ns>} and receives
/// them. Returns once all have arrived (or after `timeout_s` without progress, with fewer).
FlowResult run_flow(const FlowOptions& options, double timeout_s = 60);

/// A free TCP port on 127.0.0.1.
int free_tcp_port();

} // namespace sluice::bench
