#include "drivers/sources/serial.hpp"

#include "drivers/runtime/errors.hpp"
#include "drivers/sources/reconnect.hpp"
#include "drivers/sources/stream_pump.hpp"

namespace sluice {

namespace {
constexpr std::size_t kReadSize = 64 * 1024;
} // namespace

SerialSource::SerialSource(const ComponentConfig& config, Diagnostics& diagnostics)
    : Source(config), decoder_(config, diagnostics, "lines") {}

std::unique_ptr<Source> SerialSource::make(const ComponentConfig& config,
                                           Diagnostics& diagnostics) {
    std::unique_ptr<SerialSource> source(new SerialSource(config, diagnostics));
    Options options(config.options, diagnostics);
    auto settings = parse_serial_settings(options, config.name);
    if (!settings || !source->decoder_.valid()) {
        return nullptr;
    }
    source->settings_ = std::move(*settings);
    source->backoff_ = reconnect_backoff(options);
    return source;
}

Task<void> SerialSource::run(Scheduler& scheduler, SourceOutput& output) {
    device_ = std::make_unique<SerialDevice>(settings_, backoff_, scheduler, status_);
    buffer_.resize(kReadSize);
    status_.state = ComponentState::connecting;
    EventBatch batch;
    try {
        while (!stopping_) {
            co_await wait_until_accepting(&output);
            if (stopping_) {
                break;
            }
            auto n = co_await device_->read(buffer_);
            auto now = wall_clock_now();
            if (n == 0) {
                // The device went away: a partial frame from before the unplug is garbage.
                decoder_.reset();
                continue;
            }
            decoder_.feed({buffer_.data(), n}, batch, now, status_);
            push_batch(batch, output, status_, now);
        }
    } catch (const Cancelled&) {
    }
    status_.state = ComponentState::stopped;
    device_->close();
}

void SerialSource::stop() {
    stopping_ = true;
    if (device_) {
        device_->close();
    }
}

} // namespace sluice
