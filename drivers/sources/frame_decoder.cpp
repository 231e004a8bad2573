#include "drivers/sources/frame_decoder.hpp"

#include "pipeline/codec/codecs.hpp"

namespace sluice {

FrameDecoder::FrameDecoder(const ComponentConfig& config, Diagnostics& diagnostics,
                           std::string_view default_framing)
    : source_(intern(config.name)) {
    Options options(config.options, diagnostics);
    auto framing = options.string("framing");
    framer_ = make_framer(framing.empty() ? default_framing : framing, options);
    decoder_ = make_decoder(options.string("decode", "json"), options);
}

void FrameDecoder::feed(std::string_view bytes, EventBatch& out, Nanos now,
                        ComponentStatus& status) {
    status.bytes_in += bytes.size();
    framer_->feed(bytes, [&](std::string_view frame) { decode_frame(frame, out, now, status); });
    count_framing_errors(status);
}

void FrameDecoder::finish(EventBatch& out, Nanos now, ComponentStatus& status) {
    framer_->finish([&](std::string_view frame) { decode_frame(frame, out, now, status); });
    count_framing_errors(status);
    decoder_->reset();
}

void FrameDecoder::reset() {
    framer_->reset();
    decoder_->reset();
}

void FrameDecoder::decode_frame(std::string_view frame, EventBatch& out, Nanos now,
                                ComponentStatus& status) {
    auto& event = out.emplace_back();
    // Time of receipt, unless the frame carries its own time (the decoder then overwrites it).
    event.set_ts(now);
    switch (decoder_->decode(frame, event, error_)) {
    case DecodeStatus::event:
        event.set_source(source_);
        ++status.events_in;
        return;
    case DecodeStatus::skip:
        break;
    case DecodeStatus::error:
        status.record_error("undecodable frame: " + error_);
        log_.write(LogLevel::warn, status.name, "dropped undecodable frame: " + error_);
        break;
    }
    out.pop_back();
}

void FrameDecoder::count_framing_errors(ComponentStatus& status) {
    auto seen = framer_->oversize() + framer_->malformed();
    if (seen > framing_errors_seen_) {
        auto fresh = seen - framing_errors_seen_;
        framing_errors_seen_ = seen;
        status.errors += fresh;
        status.last_error = "frame over max_frame_bytes or malformed";
        log_.write(LogLevel::warn, status.name,
                   "dropped " + std::to_string(fresh) +
                       " frame(s) over max_frame_bytes or malformed");
    }
}

} // namespace sluice
