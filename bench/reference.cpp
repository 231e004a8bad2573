// bench_reference: scenario 1's job done by hand, single-threaded, as the practical limit of
// this machine: read big buffers from one TCP connection, split lines, find the `temp` field,
// compare it with the limit, append `"hot":true|false` to the line, write big buffers to the
// sink. No framework, no event model, no allocation per line. Exits at end of input.

#include "bench/support/args.hpp"
#include "bench/support/latency.hpp"
#include "bench/support/net.hpp"

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

using namespace sluice::bench;

namespace {

constexpr std::string_view kTemp = "\"temp\":";
constexpr double kLimit = 90;

/// Appends the transformed line (without its newline) to `out`; false if it has no temp.
bool transform(std::string_view line, std::string& out) {
    auto at = line.find(kTemp);
    if (at == std::string_view::npos || line.back() != '}') {
        return false;
    }
    const char* p = line.data() + at + kTemp.size();
    double temp = 0;
    if (std::from_chars(p, line.data() + line.size(), temp).ec != std::errc{}) {
        return false;
    }
    out.append(line.data(), line.size() - 1);
    out.append(temp > kLimit ? ",\"hot\":true}\n" : ",\"hot\":false}\n");
    return true;
}

} // namespace

int main(int argc, char** argv) {
    try {
        Args args(argc, argv, {"listen-port", "sink-port", "buffer-bytes"});
        // The benchmark script reads this process's CPU time and peak RSS from /proc after the
        // input ends, so it stays until SIGTERM, as the daemon does.
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGTERM);
        sigaddset(&stop_signals, SIGINT);
        sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
        int sink = tcp_connect(static_cast<std::uint16_t>(args.integer("sink-port", 0)), 10'000);
        int listener = tcp_listen(static_cast<std::uint16_t>(args.integer("listen-port", 0)));
        int source = tcp_accept(listener, 60'000);
        std::vector<char> buffer(
            static_cast<std::size_t>(args.integer("buffer-bytes", 256 * 1024)));
        std::string out;
        out.reserve(buffer.size() * 2);
        std::size_t kept = 0; // bytes of a partial line at the front of `buffer`
        std::int64_t events = 0;
        while (true) {
            if (kept == buffer.size()) {
                kept = 0; // a line longer than the buffer is not a reading: drop it
            }
            auto n = ::read(source, buffer.data() + kept, buffer.size() - kept);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            std::string_view data(buffer.data(), kept + static_cast<std::size_t>(n));
            out.clear();
            for (auto end = data.find('\n'); end != std::string_view::npos; end = data.find('\n')) {
                events += transform(data.substr(0, end), out) ? 1 : 0;
                data.remove_prefix(end + 1);
            }
            write_all(sink, out);
            kept = data.size();
            std::memmove(buffer.data(), data.data(), kept);
        }
        ::close(source);
        ::close(sink);
        std::string report = "{";
        json_field(report, "events", events);
        std::printf("%s}\n", report.c_str());
        std::fflush(stdout);
        int signal = 0;
        sigwait(&stop_signals, &signal);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr,
                     "bench_reference: %s\nusage: bench_reference --listen-port P --sink-port P "
                     "[--buffer-bytes B]\n",
                     e.what());
        return 1;
    }
}
