#pragma once
// Decoding: one frame of bytes into one event.

#include "pipeline/event.hpp"

#include <string>
#include <string_view>

namespace sluice {

enum class DecodeStatus {
    event, // `out` holds an event
    skip,  // the frame carried no event (a CSV header, a blank line, an NMEA sentence we ignore)
    error, // the frame is malformed; `error` says why
};

/// Decodes frames into events. Implementations keep reusable state (a CSV header, cached field
/// symbols) and so are not shared between streams. Never throws except std::bad_alloc.
class Decoder {
public:
    virtual ~Decoder() = default;
    /// Decodes `frame` into `out`, which the caller has cleared of fields and given the time of
    /// receipt as its ts. A decoder overwrites ts only when the frame carries the event's time
    /// (an influx timestamp, the source's `timestamp_field`). Sets `error` on failure; `out` is
    /// then unspecified.
    virtual DecodeStatus decode(std::string_view frame, Event& out, std::string& error) = 0;
    /// A new stream begins (a reconnect, a new TCP client): forget per-stream state.
    virtual void reset() {}
};

} // namespace sluice
