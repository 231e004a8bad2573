#pragma once
// udp sink: each encoded event one datagram.

#include "drivers/log.hpp"
#include "drivers/runtime/address.hpp"
#include "drivers/runtime/udp.hpp"
#include "drivers/sinks/encoded_sink.hpp"

#include <memory>
#include <optional>

namespace sluice {

std::span<const OptionSpec> udp_sink_options();

/// Sends each event as one datagram to `connect`. UDP has no connection to lose: a datagram
/// the network or the peer refuses (ICMP port unreachable) is counted in errors and the sink
/// goes on.
class UdpSink : public EncodedSink {
public:
    static std::unique_ptr<Sink> make(const ComponentConfig& config, Diagnostics& diagnostics,
                                      Scheduler& scheduler);

protected:
    Task<void> send(std::string_view bytes) override;
    Task<void> close_transport() override;
    void cancel_transport() override;
    bool per_event() const override { return true; }

private:
    UdpSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler);

    HostPort address_;
    std::optional<UdpSocket> socket_;
    bool cancelled_ = false;
    RateLimitedLog log_;
};

} // namespace sluice
