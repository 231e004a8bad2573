#pragma once
// The source option timestamp_field, for every decoder.

#include "pipeline/codec/decoder.hpp"

#include <memory>

namespace sluice {

/// Wraps a decoder and sets each event's ts from the field `field` (see timestamp_from_value).
/// An event without that field keeps the time of receipt; one whose field holds no time is a
/// decode error. The field itself stays in the event.
class TimestampDecoder final : public Decoder {
public:
    TimestampDecoder(std::unique_ptr<Decoder> inner, Symbol field)
        : inner_(std::move(inner)), field_(field) {}

    DecodeStatus decode(std::string_view frame, Event& out, std::string& error) override;
    void reset() override { inner_->reset(); }

private:
    std::unique_ptr<Decoder> inner_;
    Symbol field_;
};

} // namespace sluice
