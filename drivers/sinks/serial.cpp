#include "drivers/sinks/serial.hpp"

#include "drivers/runtime/errors.hpp"
#include "drivers/sources/reconnect.hpp"

namespace sluice {

SerialSink::SerialSink(const ComponentConfig& config, Diagnostics& diagnostics,
                       Scheduler& scheduler, SerialSettings settings, Backoff backoff)
    : EncodedSink(config, diagnostics, scheduler),
      device_(std::make_unique<SerialDevice>(std::move(settings), backoff, scheduler, status_)) {}

std::unique_ptr<Sink> SerialSink::make(const ComponentConfig& config, Diagnostics& diagnostics,
                                       Scheduler& scheduler) {
    Options options(config.options, diagnostics);
    auto settings = parse_serial_settings(options, config.name);
    if (!settings) {
        return nullptr;
    }
    std::unique_ptr<SerialSink> sink(new SerialSink(
        config, diagnostics, scheduler, std::move(*settings), reconnect_backoff(options)));
    return sink->valid() ? std::move(sink) : nullptr;
}

Task<void> SerialSink::open_transport() {
    // Open at start so a missing device shows as backoff at once; a device that is not there
    // yet is opened by the first write.
    device_->try_open();
    co_return;
}

Task<void> SerialSink::send(std::string_view bytes) {
    while (true) {
        bool was_open = device_->is_open();
        co_await device_->ensure_open();
        if (!was_open) {
            transport_reopened();
        }
        if (co_await device_->write(bytes)) {
            co_return;
        }
        // The device went away mid-write: write the whole batch again once it is back.
    }
}

bool SerialSink::send_now(std::string_view bytes) {
    return device_->write_now(bytes);
}

void SerialSink::cancel_transport() {
    device_->cancel();
}

Task<void> SerialSink::close_transport() {
    device_->close();
    co_return;
}

} // namespace sluice
