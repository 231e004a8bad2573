#pragma once
// Datagram framing: each read is one frame.

#include "pipeline/codec/framer.hpp"

namespace sluice {

/// Each feed() call is one whole frame (a UDP datagram, a ZeroMQ message). Empty ones are
/// ignored; ones over max_frame_bytes are counted in oversize(). Nothing is buffered.
class DatagramFramer final : public Framer {
public:
    using Framer::Framer;

    void feed(std::string_view bytes, FrameCallback on_frame) override {
        if (bytes.size() > max_frame_bytes_) {
            ++oversize_;
        } else if (!bytes.empty()) {
            on_frame(bytes);
        }
    }
    void finish(FrameCallback) override {}
    void reset() override {}
};

} // namespace sluice
