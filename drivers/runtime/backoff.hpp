#pragma once
// Backoff: capped exponential delays between reconnect attempts.

#include <algorithm>
#include <cstdint>

namespace sluice {

/// The delay before each retry doubles from `initial_ms` up to `max_ms`; reset() after a
/// success starts over. Deterministic (no jitter): one daemon retrying one device gains nothing
/// from randomness, and tests can reason about the timing.
class Backoff {
public:
    Backoff(std::uint64_t initial_ms, std::uint64_t max_ms)
        : initial_ms_(std::max<std::uint64_t>(1, initial_ms)),
          max_ms_(std::max(max_ms, initial_ms_)), next_ms_(initial_ms_) {}

    /// The delay to wait now; the following call returns twice as much (capped).
    std::uint64_t next_ms() {
        auto delay = next_ms_;
        next_ms_ = std::min(max_ms_, next_ms_ * 2);
        return delay;
    }
    void reset() { next_ms_ = initial_ms_; }

private:
    std::uint64_t initial_ms_;
    std::uint64_t max_ms_;
    std::uint64_t next_ms_;
};

} // namespace sluice
