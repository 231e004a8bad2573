#pragma once
// Parsers for the unit-bearing scalars of the configuration: durations, rates and sizes.

#include "pipeline/event.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice {

/// "250ms", "5s", "2m", "1h", "100us", "10ns", "1.5s", "0s". A bare number is not a duration.
std::optional<Nanos> parse_duration(std::string_view text);

/// A count per interval: "10/s", "600/m", "5/250ms". `per` is the interval in ns.
struct Rate {
    double count = 0;
    Nanos per = 1'000'000'000;
    double per_second() const { return count * 1e9 / static_cast<double>(per); }
};
std::optional<Rate> parse_rate(std::string_view text);

/// "512", "64KiB", "1MiB", "2GiB", "10kB", "1MB" (kB/MB/GB are powers of 1000).
std::optional<std::uint64_t> parse_size(std::string_view text);

/// Formats a duration the way the configuration writes it ("250ms", "5s").
std::string format_duration(Nanos ns);

} // namespace sluice
