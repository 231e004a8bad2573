#pragma once
// Encoding: events into bytes for sinks and actuators.

#include "pipeline/event.hpp"

#include <cstdint>
#include <string>

namespace sluice {

/// Encodes events, appending to a caller-owned buffer so one write carries many events.
/// Never throws except std::bad_alloc.
class Encoder {
public:
    virtual ~Encoder() = default;
    /// Appends what a new stream or file starts with (a CSV header); most encoders write none.
    virtual void begin(std::string& /*out*/) {}
    /// Appends one encoded event, including its terminator (newline) where the format has one.
    /// An event the format cannot carry (an influx line with no field) appends nothing and is
    /// counted in skipped().
    virtual void encode(const Event& event, std::string& out) = 0;

    /// Events encode() wrote nothing for.
    std::uint64_t skipped() const { return skipped_; }

protected:
    std::uint64_t skipped_ = 0;
};

} // namespace sluice
