#pragma once
// Bytes to event batches with a source's configured framing and decoder.

#include "drivers/component.hpp"
#include "drivers/log.hpp"
#include "pipeline/codec/decoder.hpp"
#include "pipeline/codec/framer.hpp"
#include "pipeline/pipeline_config.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace sluice {

/// Frames and decodes what a stream source reads. Frames that do not decode, and frames over
/// max_frame_bytes, are dropped, counted in the source's errors, and logged at a limited rate.
class FrameDecoder {
public:
    /// `default_framing` applies when the config names none (lines on streams, datagram on
    /// udp/zmq). Reports bad options to `diagnostics`; valid() is false then.
    FrameDecoder(const ComponentConfig& config, Diagnostics& diagnostics,
                 std::string_view default_framing);

    bool valid() const { return framer_ && decoder_; }
    /// Appends an event to `out` for every complete frame in `bytes`.
    void feed(std::string_view bytes, EventBatch& out, Nanos now, ComponentStatus& status);
    /// End of stream: flushes a final unterminated frame where the framing allows.
    void finish(EventBatch& out, Nanos now, ComponentStatus& status);
    /// A new stream starts (reconnect, new client): forget partial frames.
    void reset();

private:
    void decode_frame(std::string_view frame, EventBatch& out, Nanos now, ComponentStatus& status);
    void count_framing_errors(ComponentStatus& status);

    std::unique_ptr<Framer> framer_;
    std::unique_ptr<Decoder> decoder_;
    Symbol source_;
    std::string error_;
    std::uint64_t framing_errors_seen_ = 0;
    RateLimitedLog log_;
};

} // namespace sluice
