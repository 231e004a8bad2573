#pragma once
// Frames that start with their length: a 1, 2 or 4 byte unsigned integer.

#include "pipeline/codec/framer.hpp"

#include <string>

namespace sluice {

/// Each frame is a length prefix (1, 2 or 4 bytes, big or little endian) then that many bytes.
/// A zero length is an empty frame and is not delivered. A prefix over max_frame_bytes counts
/// the frame in oversize() and its bytes are dropped as they arrive, never buffered. A stream
/// that ends inside a frame counts it in malformed().
class LengthPrefixedFramer final : public Framer {
public:
    LengthPrefixedFramer(std::size_t max_frame_bytes, unsigned length_bytes, bool big_endian)
        : Framer(max_frame_bytes), length_bytes_(length_bytes), big_endian_(big_endian) {}

    void feed(std::string_view bytes, FrameCallback on_frame) override;
    void finish(FrameCallback on_frame) override;
    void reset() override;
    std::size_t buffered() const override { return body_.size(); }

private:
    enum class State { prefix, body, skip };
    /// Consumes prefix bytes from [p, end); returns where it stopped.
    const char* read_prefix(const char* p, const char* end);

    unsigned length_bytes_;
    bool big_endian_;
    State state_ = State::prefix;
    unsigned char prefix_[4] = {};
    unsigned prefix_have_ = 0;
    std::size_t length_ = 0; // the body length, or in State::skip the bytes left to drop
    std::string body_;
};

} // namespace sluice
