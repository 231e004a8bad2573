#pragma once
// The reconnect options shared by every driver that retries a device or a peer.

#include "drivers/runtime/backoff.hpp"
#include "pipeline/options.hpp"

namespace sluice {

inline constexpr OptionSpec kReconnectMinOption{
    .key = "reconnect_min",
    .type = OptionType::duration,
    .default_value = "100ms",
    .doc = "First delay before retrying a missing device or peer; it doubles on each failure.",
    .at_most = "reconnect_max"};
inline constexpr OptionSpec kReconnectMaxOption{"reconnect_max", OptionType::duration, "30s",
                                                "Longest delay between retries."};

inline constexpr OptionSpec kConnectTimeoutOption{
    "connect_timeout", OptionType::duration, "10s",
    "How long a TCP connection attempt may take before it fails and the reconnect backoff "
    "applies (a host that drops packets would otherwise hold it for minutes)."};

/// connect_timeout in milliseconds.
inline std::uint64_t connect_timeout_ms(const Options& options) {
    return static_cast<std::uint64_t>(options.duration("connect_timeout", 10'000'000'000) /
                                      1'000'000);
}

/// The backoff configured by reconnect_min and reconnect_max.
inline Backoff reconnect_backoff(const Options& options) {
    auto min_ms = options.duration("reconnect_min", 100'000'000) / 1'000'000;
    auto max_ms = options.duration("reconnect_max", 30'000'000'000) / 1'000'000;
    return Backoff(static_cast<std::uint64_t>(min_ms), static_cast<std::uint64_t>(max_ms));
}

} // namespace sluice
