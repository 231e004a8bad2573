#pragma once
// Newline-delimited frames (LF or CRLF).

#include "pipeline/codec/framer.hpp"
#include "pipeline/codec/leading_bom.hpp"

#include <string>

namespace sluice {

/// Splits on LF and strips a CR before it. A line's length, for max_frame_bytes, counts every
/// byte before the LF (a CR too). Empty lines are not delivered. A final line without LF is
/// delivered by finish(). An over-long line is counted once in oversize() and its bytes are
/// dropped up to the next LF without being buffered. A UTF-8 byte order mark at the start of
/// the stream (a file saved by a Windows program) is dropped, so the first line reads like the
/// others; the stream starts anew after finish() and reset().
class LinesFramer final : public Framer {
public:
    using Framer::Framer;

    void feed(std::string_view bytes, FrameCallback on_frame) override;
    void finish(FrameCallback on_frame) override;
    void reset() override;
    std::size_t buffered() const override { return buffer_.size(); }

private:
    void keep_partial(std::string_view part);
    static void deliver(std::string_view line, FrameCallback& on_frame);

    std::string buffer_;      // the start of a line whose LF has not arrived yet
    bool discarding_ = false; // inside an over-long line: drop bytes until the next LF
    LeadingBom bom_;
};

} // namespace sluice
