#pragma once
// tcp_server and unix_server: events from many clients of a listening stream socket.

#include "drivers/log.hpp"
#include "drivers/runtime/address.hpp"
#include "drivers/runtime/backoff.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/socket.hpp"
#include "drivers/runtime/timer.hpp"
#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"

#include <list>
#include <memory>
#include <optional>
#include <vector>

namespace sluice {

std::span<const OptionSpec> tcp_server_source_options();
std::span<const OptionSpec> unix_server_source_options();

/// Listens on a TCP address or a Unix socket path and reads every client concurrently, each
/// with its own framing state (a partial line from one client never joins another's). At most
/// `max_clients` are served; further connections are closed at once and counted in errors.
/// A listen that fails (address in use) is retried with backoff.
class StreamServerSource : public Source {
public:
    static std::unique_ptr<Source> make_tcp(const ComponentConfig& config,
                                            Diagnostics& diagnostics);
    static std::unique_ptr<Source> make_unix(const ComponentConfig& config,
                                             Diagnostics& diagnostics);

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

    std::size_t clients() const { return clients_.size(); }

private:
    struct Client {
        Stream stream;
        FrameDecoder decoder;
        std::vector<char> buffer;
    };

    StreamServerSource(const ComponentConfig& config, Diagnostics& diagnostics);
    Task<void> listen(Scheduler& scheduler);
    Task<void> accept_loop(Scheduler& scheduler, SourceOutput& output, Scope& scope);
    Task<void> serve(Client* client, SourceOutput* output);

    ComponentConfig config_;
    bool unix_ = false;
    std::optional<HostPort> address_;
    std::string path_;
    unsigned mode_ = 0660;
    std::size_t max_clients_ = 64;
    Backoff backoff_{100, 30000};
    std::optional<Listener> listener_;
    std::unique_ptr<Timer> timer_;
    std::list<Client> clients_;
    bool stopping_ = false;
    RateLimitedLog log_;
};

} // namespace sluice
