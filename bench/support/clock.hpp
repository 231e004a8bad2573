#pragma once
// Clocks shared by the benchmark tools: every timestamp that crosses a process boundary is
// wall-clock microseconds, so processes can compare them.

#include <cstdint>
#include <ctime>

namespace sluice::bench {

/// Microseconds since the Unix epoch (CLOCK_REALTIME): what the generator writes into events.
inline std::int64_t wall_us() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

/// Nanoseconds on the monotonic clock, for pacing and durations inside one process.
inline std::int64_t mono_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// CPU time of the calling thread in ns: on a shared machine, wall time mostly measures the
/// neighbours.
inline std::int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// Sleeps until `deadline` on the monotonic clock (ns); returns at once if it has passed.
inline void sleep_until_ns(std::int64_t deadline) {
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(deadline / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(deadline % 1'000'000'000);
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

} // namespace sluice::bench
