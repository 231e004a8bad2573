#pragma once
// serial sink: encoded events (device commands) written to a serial port.

#include "drivers/sinks/encoded_sink.hpp"
#include "drivers/sources/serial_device.hpp"

#include <memory>

namespace sluice {

/// Writes each batch to a serial device, opened like the serial source (raw, exclusive,
/// reopened by path with backoff after an unplug). A batch whose write fails because the device
/// went away is written again once it is back. As an actuator, a reopened device gets the next
/// command even under on_change_only, since it may have reset.
class SerialSink : public EncodedSink {
public:
    static std::unique_ptr<Sink> make(const ComponentConfig& config, Diagnostics& diagnostics,
                                      Scheduler& scheduler);

protected:
    Task<void> open_transport() override;
    Task<void> send(std::string_view bytes) override;
    bool send_now(std::string_view bytes) override;
    Task<void> close_transport() override;
    void cancel_transport() override;

private:
    SerialSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler,
               SerialSettings settings, Backoff backoff);

    std::unique_ptr<SerialDevice> device_;
};

} // namespace sluice
