#pragma once
// SLIP framing (RFC 1055).

#include "pipeline/codec/framer.hpp"

#include <string>

namespace sluice {

/// Frames end with END (0xC0); ESC (0xDB) then ESC_END (0xDC) or ESC_ESC (0xDD) stand for 0xC0
/// and 0xDB. Empty frames (the END many senders also put first) are ignored. An ESC followed
/// by anything else counts the frame in malformed() and drops it up to the next END; so does a
/// partial frame at the end of the stream.
class SlipFramer final : public Framer {
public:
    static constexpr unsigned char kEnd = 0xC0;
    static constexpr unsigned char kEsc = 0xDB;
    static constexpr unsigned char kEscEnd = 0xDC;
    static constexpr unsigned char kEscEsc = 0xDD;

    using Framer::Framer;

    void feed(std::string_view bytes, FrameCallback on_frame) override;
    void finish(FrameCallback on_frame) override;
    void reset() override;
    std::size_t buffered() const override { return buffer_.size(); }

private:
    /// Delivers an unescaped frame that lies whole at the start of [p, end); returns where it
    /// stopped (p itself when the frame needs the byte-wise path).
    const char* take_whole(const char* p, const char* end, FrameCallback& on_frame);
    void add(char byte);
    void end_frame(FrameCallback& on_frame);

    std::string buffer_;
    bool escaped_ = false;
    bool discarding_ = false; // after a bad escape or an oversize frame, until the next END
};

} // namespace sluice
