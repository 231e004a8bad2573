#pragma once
// Each frame as one text field.

#include "pipeline/codec/decoder.hpp"

namespace sluice {

/// Puts the whole frame, less a trailing CR, in the field `message`. An empty frame is skipped.
/// Bytes pass through as they are (no UTF-8 check).
class TextDecoder final : public Decoder {
public:
    TextDecoder() : message_(intern("message")) {}
    DecodeStatus decode(std::string_view frame, Event& out, std::string& error) override;

private:
    Symbol message_;
};

} // namespace sluice
