#pragma once
// NMEA 0183 sentences from GNSS receivers.

#include "pipeline/codec/decoder.hpp"

#include <string>
#include <vector>

namespace sluice {

/// Decodes GGA, RMC, VTG, GSA and GLL sentences from any talker (GP, GN, GL, GA, GB, BD...).
/// The `*hh` checksum is required and checked: a missing or wrong one is an error. Other
/// sentence types, proprietary ($P...) and encapsulated (!...) sentences are skipped. Latitude
/// and longitude become signed decimal degrees; empty fields are left out of the event. The
/// field names of each sentence are listed in docs/codecs.md.
class NmeaDecoder final : public Decoder {
public:
    NmeaDecoder();
    DecodeStatus decode(std::string_view frame, Event& out, std::string& error) override;

    // Implementation details, named here so the per-sentence readers can use them.
    struct Names;
    class Reader;

private:
    /// Checks the framing and checksum and splits the sentence into parts_; returns skip or
    /// error when it is not a sentence to decode.
    DecodeStatus split(std::string_view frame, std::string& error);

    const Names& names_;
    std::vector<std::string_view> parts_;
    std::string text_;
};

} // namespace sluice
