#pragma once
// tcp_client: events from a TCP server we connect to, reconnecting when it goes away.

#include "drivers/log.hpp"
#include "drivers/runtime/address.hpp"
#include "drivers/runtime/backoff.hpp"
#include "drivers/runtime/stream.hpp"
#include "drivers/runtime/timer.hpp"
#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace sluice {

std::span<const OptionSpec> tcp_client_source_options();

/// Connects to `connect` and reads what the server sends. When the connection fails or ends
/// it reconnects with capped exponential backoff; the state goes connecting -> running ->
/// backoff -> connecting. The source never ends by itself.
class TcpClientSource : public Source {
public:
    static std::unique_ptr<Source> make(const ComponentConfig& config, Diagnostics& diagnostics);

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

private:
    TcpClientSource(const ComponentConfig& config, Diagnostics& diagnostics);
    /// One connection, from connect to its end. Returns whether it got connected.
    Task<bool> session(Scheduler& scheduler, SourceOutput& output);

    FrameDecoder decoder_;
    HostPort address_;
    Backoff backoff_{100, 30000};
    std::uint64_t connect_timeout_ms_ = 0;
    std::optional<Stream> stream_;
    std::unique_ptr<Timer> timer_;
    std::vector<char> buffer_;
    bool stopping_ = false;
    RateLimitedLog log_{3, std::chrono::seconds(60)};
};

} // namespace sluice
