#pragma once
// tcp_server sink: encoded events to every connected client.

#include "drivers/log.hpp"
#include "drivers/runtime/address.hpp"
#include "drivers/runtime/backoff.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/socket.hpp"
#include "drivers/runtime/timer.hpp"
#include "drivers/sinks/encoded_sink.hpp"

#include <list>
#include <memory>
#include <optional>

namespace sluice {

std::span<const OptionSpec> tcp_server_sink_options();

/// Listens on `listen` and copies every batch to each connected client. Each client has its
/// own writer and a bounded buffer (`client_buffer`): a client that reads too slowly has whole
/// batches dropped for it alone (counted in errors and logged), so it never holds up the other
/// clients or the pipeline and never grows memory. Events are counted as sent once handed to
/// every connected client (also when none is connected).
class TcpServerSink : public EncodedSink {
public:
    static std::unique_ptr<Sink> make(const ComponentConfig& config, Diagnostics& diagnostics,
                                      Scheduler& scheduler);

    std::size_t clients() const { return clients_.size(); }
    std::uint16_t port() const { return listener_ ? listener_->port() : 0; }

protected:
    Task<void> open_transport() override;
    Task<void> send(std::string_view bytes) override;
    Task<void> close_transport() override;
    void cancel_transport() override;

private:
    struct Client {
        explicit Client(Stream s, Scheduler& scheduler) : stream(std::move(s)), wake(scheduler) {}
        Stream stream;
        std::string pending; // waiting for the writer
        std::string writing; // being written
        Notify wake;
        bool done = false;
        std::uint64_t dropped_bytes = 0;
    };

    TcpServerSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler);
    Task<void> accept_loop();
    Task<void> client_writer(Client* client);
    void remove(Client* client);

    HostPort address_;
    std::size_t max_clients_ = 64;
    std::size_t client_buffer_ = 1 << 20;
    Backoff backoff_{100, 30000};
    std::optional<Listener> listener_;
    std::unique_ptr<Scope> tasks_;
    std::unique_ptr<Timer> timer_;
    std::list<Client> clients_;
    bool closing_ = false;
    RateLimitedLog log_;
};

} // namespace sluice
