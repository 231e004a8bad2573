#pragma once
// serial: events from a serial port, surviving unplug and replug.

#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"
#include "drivers/sources/serial_device.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace sluice {

/// Reads a serial device in large chunks when it is readable (uv_poll on the fd), frames and
/// decodes (default lines + json). A device missing at start or unplugged later is retried with
/// capped exponential backoff (state backoff, then running again); the source never ends by
/// itself.
class SerialSource : public Source {
public:
    static std::unique_ptr<Source> make(const ComponentConfig& config, Diagnostics& diagnostics);

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

private:
    SerialSource(const ComponentConfig& config, Diagnostics& diagnostics);

    FrameDecoder decoder_;
    SerialSettings settings_;
    Backoff backoff_{100, 30000};
    std::unique_ptr<SerialDevice> device_;
    std::vector<char> buffer_;
    bool stopping_ = false;
};

} // namespace sluice
