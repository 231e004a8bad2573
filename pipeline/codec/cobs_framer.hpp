#pragma once
// COBS framing: Consistent Overhead Byte Stuffing, frames delimited by 0x00.

#include "pipeline/codec/framer.hpp"

#include <string>

namespace sluice {

/// Each frame is COBS-encoded and ends with 0x00; frames are decoded as their bytes arrive, so
/// only decoded bytes are buffered. Empty frames are ignored. A code byte that runs past the
/// delimiter counts the frame in malformed(); so does a partial frame at the end of the stream.
class CobsFramer final : public Framer {
public:
    using Framer::Framer;

    void feed(std::string_view bytes, FrameCallback on_frame) override;
    void finish(FrameCallback on_frame) override;
    void reset() override;
    std::size_t buffered() const override { return buffer_.size(); }

private:
    void add(char byte);
    void end_frame(FrameCallback& on_frame);

    std::string buffer_;
    unsigned block_left_ = 0;   // data bytes still due in the current block
    bool zero_pending_ = false; // the current block ends in an implied 0x00 (code < 0xFF)
    bool started_ = false;      // a code byte has arrived since the last delimiter
    bool discarding_ = false;   // an oversize frame, until the next delimiter
};

} // namespace sluice
