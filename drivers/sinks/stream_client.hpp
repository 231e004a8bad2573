#pragma once
// tcp_client and unix sinks: encoded events to a stream socket we connect to, reconnecting.

#include "drivers/log.hpp"
#include "drivers/runtime/address.hpp"
#include "drivers/runtime/backoff.hpp"
#include "drivers/runtime/stream.hpp"
#include "drivers/runtime/timer.hpp"
#include "drivers/sinks/encoded_sink.hpp"

#include <memory>
#include <optional>

namespace sluice {

std::span<const OptionSpec> tcp_client_sink_options();
std::span<const OptionSpec> unix_sink_options();

/// Connects on the first write and writes each batch in one write. When the peer is down or
/// goes away the batch waits while the sink reconnects with capped exponential backoff (state
/// connecting/backoff, then running); meanwhile the queue fills and `when_full` decides: block
/// holds the sources, drop_* drops. A batch cut off by a failing connection is sent again on
/// the next one, so a peer may see a few events twice across a reconnect, never a gap.
/// As an actuator aborted by a third stop signal, it writes the safe state to the connection
/// without waiting, if that connection is idle and the kernel takes it at once.
class StreamClientSink : public EncodedSink {
public:
    static std::unique_ptr<Sink> make_tcp(const ComponentConfig& config, Diagnostics& diagnostics,
                                          Scheduler& scheduler);
    static std::unique_ptr<Sink> make_unix(const ComponentConfig& config, Diagnostics& diagnostics,
                                           Scheduler& scheduler);

protected:
    Task<void> send(std::string_view bytes) override;
    bool send_now(std::string_view bytes) override;
    Task<void> close_transport() override;
    void cancel_transport() override;

private:
    StreamClientSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler);
    Task<void> connect();
    bool peer_closed();
    void disconnect(const std::string& why);

    std::optional<HostPort> address_;
    std::string path_;
    std::string target_; // for log lines
    Backoff backoff_{100, 30000};
    std::uint64_t connect_timeout_ms_ = 0; // tcp only
    std::optional<Stream> stream_;
    std::unique_ptr<Timer> timer_;
    bool cancelled_ = false;
    bool sending_ = false; // send() is waiting on the stream or the backoff timer
    RateLimitedLog log_{3, std::chrono::seconds(60)};
};

} // namespace sluice
