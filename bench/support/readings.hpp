#pragma once
// The events the benchmarks send, and how the sink counter reads them back.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::bench {

/// The readings of the throughput scenarios. Reading `seq` comes from sensor seq % sensors and
/// each sensor alternates between a hot reading (above 90) and a cold one, so half the
/// readings are hot and every reading is an edge of a per-sensor rule.
struct Readings {
    std::uint32_t sensors = 10;

    bool hot(std::uint64_t seq) const { return (seq / sensors) % 2 == 0; }
    /// `{"sensor":"t3","temp":91.8,"ts":<us>,"seq":17}` and a newline (~60 bytes), appended.
    void json(std::string& out, std::uint64_t seq, std::int64_t ts_us) const;
    /// `temps,sensor=t3 temp=91.8,seq=17i` and a newline (influx line protocol), appended.
    void influx(std::string& out, std::uint64_t seq) const;

private:
    /// The temperature in tenths of a degree.
    std::uint32_t tenths(std::uint64_t seq) const;
};

/// The integer after `"key":` in a JSON line, or false when there is none.
bool find_json_int(std::string_view line, std::string_view quoted_key_colon, std::int64_t& out);

} // namespace sluice::bench
