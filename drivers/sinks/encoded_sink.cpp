#include "drivers/sinks/encoded_sink.hpp"

#include "drivers/runtime/errors.hpp"
#include "pipeline/codec/codecs.hpp"

namespace sluice {

EncodedSink::EncodedSink(const ComponentConfig& config, Diagnostics& diagnostics,
                         Scheduler& scheduler)
    : Sink(config, scheduler), scheduler_(scheduler) {
    auto errors_before = diagnostics.error_count();
    Options options(config.options, diagnostics);
    encoder_ = make_encoder(options.string("encode", "json"), options);
    if (encoder_) {
        encoder_->begin(preamble_);
    }
    if (auto settings = actuator_settings(config, diagnostics)) {
        actuator_ = std::make_unique<Actuator>(std::move(*settings), scheduler, status_,
                                               static_cast<CommandPort&>(*this));
    }
    valid_ = encoder_ && diagnostics.error_count() == errors_before;
}

Task<void> EncodedSink::open() {
    co_await open_transport();
    if (actuator_) {
        actuator_->start();
    }
}

void EncodedSink::count_skipped() {
    // Events the encoder could not carry were not sent, though Sink::run() counts them so.
    auto skipped = encoder_->skipped();
    if (skipped > skipped_seen_) {
        auto fresh = skipped - skipped_seen_;
        skipped_seen_ = skipped;
        status_.events_out -= fresh;
        status_.events_dropped += fresh;
    }
}

Task<void> EncodedSink::write(std::span<const Event> events) {
    if (actuator_) {
        co_await write_actuator(events);
        co_return;
    }
    if (per_event()) {
        co_await write_per_event(events);
        co_return;
    }
    buffer_.clear();
    for (const auto& event : events) {
        encoder_->encode(event, buffer_);
    }
    if (!buffer_.empty()) {
        co_await send(buffer_);
        status_.bytes_out += buffer_.size();
    }
    count_skipped();
}

Task<void> EncodedSink::write_per_event(std::span<const Event> events) {
    for (const auto& event : events) {
        buffer_.clear();
        encoder_->encode(event, buffer_);
        if (!buffer_.empty()) {
            co_await send(buffer_);
            status_.bytes_out += buffer_.size();
        }
    }
    count_skipped();
}

Task<void> EncodedSink::write_actuator(std::span<const Event> events) {
    buffer_.clear();
    ends_.clear();
    for (const auto& event : events) {
        encoder_->encode(event, buffer_);
        ends_.push_back(static_cast<std::uint32_t>(buffer_.size()));
    }
    // Skipped events render empty commands, which the actuator counts as dropped.
    skipped_seen_ = encoder_->skipped();
    co_await actuator_->deliver(buffer_, ends_);
}

Task<void> EncodedSink::close() {
    if (actuator_) {
        co_await actuator_->finish();
    }
    co_await close_transport();
}

void EncodedSink::cancel_io() {
    if (actuator_) {
        actuator_->cancel();
    }
    cancel_transport();
}

} // namespace sluice
