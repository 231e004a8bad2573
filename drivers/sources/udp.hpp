#pragma once
// udp: events from datagrams, each datagram a frame by default.

#include "drivers/runtime/address.hpp"
#include "drivers/runtime/udp.hpp"
#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"

#include <memory>
#include <optional>

namespace sluice {

std::span<const OptionSpec> udp_source_options();

/// Binds `listen` and decodes every datagram (framing datagram by default; with another framing
/// each datagram is a stream of its own, so a partial frame never joins the next datagram).
/// Datagrams that arrive while the pipeline is full wait in the kernel's buffer, which drops
/// what does not fit: UDP has no other backpressure.
class UdpSource : public Source {
public:
    static std::unique_ptr<Source> make(const ComponentConfig& config, Diagnostics& diagnostics);

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

private:
    UdpSource(const ComponentConfig& config, Diagnostics& diagnostics);

    FrameDecoder decoder_;
    HostPort address_;
    bool datagram_framing_ = true;
    std::optional<UdpSocket> socket_;
    bool stopping_ = false;
};

} // namespace sluice
