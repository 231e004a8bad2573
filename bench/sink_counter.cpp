// bench_sink_counter: receives what sluice (or the reference) sends on, counts the events and,
// with --latency, measures each one's end-to-end latency from the wall-clock time the
// generator wrote into it (`"ts":` in µs) or, for window results in a file, from the window's
// end (`"window_end":` in ns). Prints one JSON line when --expect events have arrived, or when
// the input has been idle for --idle-ms; exits 0 only if all the expected events arrived.

#include "bench/support/args.hpp"
#include "bench/support/clock.hpp"
#include "bench/support/latency.hpp"
#include "bench/support/net.hpp"
#include "bench/support/readings.hpp"

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/inotify.h>
#include <unistd.h>
#include <vector>
#include <zmq.hpp>

using namespace sluice::bench;

namespace {

constexpr const char* kUsage =
    "usage: bench_sink_counter --transport tcp|zmq|file (--port P | --endpoint tcp://H:P |\n"
    "         --path FILE) --expect N [--latency] [--idle-ms MS] [--timeout-ms MS]\n";

/// What has arrived so far. Window results (file transport) count the events they summarise
/// (their `n` field), so `expect` means input events in every mode.
class Tally {
public:
    Tally(bool latency, bool windows) : latency_(latency), windows_(windows) {}

    /// Counts the complete lines in `bytes`, which arrived at `now_us`; keeps a partial last
    /// line for the next call.
    void lines(std::string_view bytes, std::int64_t now_us) {
        note_arrival(bytes.size(), now_us);
        if (!latency_ && !windows_ && partial_.empty()) {
            count_newlines(bytes);
            return;
        }
        partial_.append(bytes);
        std::string_view rest = partial_;
        for (auto end = rest.find('\n'); end != std::string_view::npos; end = rest.find('\n')) {
            line(rest.substr(0, end), now_us);
            rest.remove_prefix(end + 1);
        }
        partial_.erase(0, partial_.size() - rest.size());
    }
    /// One message that is one event (ZeroMQ).
    void message(std::string_view bytes, std::int64_t now_us) {
        note_arrival(bytes.size(), now_us);
        line(bytes, now_us);
    }

    std::uint64_t events() const { return events_; }
    bool started() const { return first_us_ != 0; }

    std::string report() {
        std::string out = "{";
        json_field(out, "events", static_cast<std::int64_t>(events_));
        json_field(out, "lines", static_cast<std::int64_t>(lines_));
        json_field(out, "bytes", static_cast<std::int64_t>(bytes_));
        json_field(out, "first_us", first_us_);
        json_field(out, "last_us", last_us_);
        if (latency_) {
            auto s = latency_samples_.summary();
            json_field(out, "samples", static_cast<std::int64_t>(latency_samples_.count()));
            json_field(out, "p50_us", s.p50);
            json_field(out, "p99_us", s.p99);
            json_field(out, "p999_us", s.p999);
            json_field(out, "max_us", s.max);
        }
        return out + "}";
    }

private:
    void note_arrival(std::size_t size, std::int64_t now_us) {
        bytes_ += size;
        if (first_us_ == 0) {
            first_us_ = now_us;
        }
        last_us_ = now_us;
    }
    void count_newlines(std::string_view bytes) {
        const char* p = bytes.data();
        const char* end = p + bytes.size();
        while ((p = static_cast<const char*>(
                    std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
            ++p;
            ++lines_;
            ++events_;
        }
        if (bytes.back() != '\n') {
            auto last = bytes.rfind('\n');
            partial_.assign(last == std::string_view::npos ? bytes : bytes.substr(last + 1));
        }
    }
    void line(std::string_view text, std::int64_t now_us) {
        if (text.empty()) {
            return;
        }
        ++lines_;
        std::int64_t value = 0;
        if (windows_) {
            if (find_json_int(text, "\"n\":", value)) {
                events_ += static_cast<std::uint64_t>(value);
            }
            if (latency_ && find_json_int(text, "\"window_end\":", value)) {
                latency_samples_.add(now_us - value / 1000);
            }
            return;
        }
        ++events_;
        if (latency_ && find_json_int(text, "\"ts\":", value)) {
            latency_samples_.add(now_us - value);
        }
    }

    bool latency_;
    bool windows_;
    std::string partial_;
    std::uint64_t events_ = 0;
    std::uint64_t lines_ = 0;
    std::uint64_t bytes_ = 0;
    std::int64_t first_us_ = 0;
    std::int64_t last_us_ = 0;
    LatencyRecorder latency_samples_;
};

struct Limits {
    std::uint64_t expect;
    int idle_ms;
    std::int64_t deadline_ns;

    /// How long the next wait may last; 0 means stop now.
    int wait_ms(const Tally& tally) const {
        auto left = (deadline_ns - mono_ns()) / 1'000'000;
        if (left <= 0 || tally.events() >= expect) {
            return 0;
        }
        return static_cast<int>(tally.started() ? std::min<std::int64_t>(left, idle_ms) : left);
    }
};

void count_tcp(const Args& args, Tally& tally, const Limits& limits) {
    int listener = tcp_listen(static_cast<std::uint16_t>(args.integer("port", 0)));
    int fd = tcp_accept(listener, static_cast<int>(limits.wait_ms(tally)));
    std::vector<char> buffer(256 * 1024);
    while (int wait = limits.wait_ms(tally)) {
        if (!wait_readable(fd, wait)) {
            break;
        }
        auto n = ::read(fd, buffer.data(), buffer.size());
        if (n <= 0) {
            break;
        }
        tally.lines({buffer.data(), static_cast<std::size_t>(n)}, wall_us());
    }
    ::close(fd);
    ::close(listener);
}

void count_zmq(const Args& args, Tally& tally, const Limits& limits) {
    zmq::context_t context;
    zmq::socket_t socket(context, zmq::socket_type::pull);
    socket.set(zmq::sockopt::rcvhwm, static_cast<int>(args.integer("hwm", 10000)));
    socket.set(zmq::sockopt::linger, 0);
    socket.bind(args.required("endpoint"));
    zmq::message_t message;
    while (int wait = limits.wait_ms(tally)) {
        socket.set(zmq::sockopt::rcvtimeo, wait);
        if (!socket.recv(message, zmq::recv_flags::none)) {
            break;
        }
        auto now = wall_us();
        tally.message({static_cast<const char*>(message.data()), message.size()}, now);
        // Drain what is already queued without a syscall per message.
        while (tally.events() < limits.expect && socket.recv(message, zmq::recv_flags::dontwait)) {
            tally.message({static_cast<const char*>(message.data()), message.size()}, now);
        }
    }
}

/// Follows a file that a sink appends to, woken by inotify.
void count_file(const Args& args, Tally& tally, const Limits& limits) {
    auto path = args.required("path");
    int fd = -1;
    while (fd < 0) {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 && (errno != ENOENT || limits.wait_ms(tally) == 0)) {
            throw_errno("open " + path);
        }
        if (fd < 0) {
            ::usleep(5'000);
        }
    }
    int watch = ::inotify_init1(IN_CLOEXEC);
    if (watch < 0 || ::inotify_add_watch(watch, path.c_str(), IN_MODIFY) < 0) {
        throw_errno("inotify " + path);
    }
    std::vector<char> buffer(256 * 1024);
    while (int wait = limits.wait_ms(tally)) {
        auto n = ::read(fd, buffer.data(), buffer.size());
        if (n > 0) {
            tally.lines({buffer.data(), static_cast<std::size_t>(n)}, wall_us());
            continue;
        }
        if (!wait_readable(watch, wait)) {
            break;
        }
        char events[4096];
        if (::read(watch, events, sizeof events) < 0) {
            throw_errno("read inotify");
        }
    }
    ::close(watch);
    ::close(fd);
}

} // namespace

int main(int argc, char** argv) {
    try {
        Args args(
            argc, argv,
            {"transport", "port", "endpoint", "path", "expect", "idle-ms", "timeout-ms", "hwm"},
            {"latency"});
        auto transport = args.required("transport");
        Limits limits{static_cast<std::uint64_t>(args.integer("expect", 0)),
                      static_cast<int>(args.integer("idle-ms", 5000)),
                      mono_ns() + args.integer("timeout-ms", 120'000) * 1'000'000};
        Tally tally(args.has("latency"), transport == "file");
        if (transport == "tcp") {
            count_tcp(args, tally, limits);
        } else if (transport == "zmq") {
            count_zmq(args, tally, limits);
        } else if (transport == "file") {
            count_file(args, tally, limits);
        } else {
            throw std::runtime_error("unknown transport '" + transport + "'");
        }
        std::printf("%s\n", tally.report().c_str());
        std::fflush(stdout);
        return tally.events() >= limits.expect ? 0 : 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sink_counter: %s\n%s", e.what(), kUsage);
        return 1;
    }
}
