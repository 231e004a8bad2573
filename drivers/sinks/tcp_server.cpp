#include "drivers/sinks/tcp_server.hpp"

#include "drivers/address_option.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/sources/reconnect.hpp"

namespace sluice {

namespace {

constexpr OptionSpec kOptions[] = {
    kListenOption,
    {"max_clients",
     OptionType::integer,
     "64",
     "Most clients at once; more are disconnected at once and counted in errors.",
     false,
     {},
     1,
     100000},
    {"client_buffer",
     OptionType::size,
     "1MiB",
     "Most bytes queued for one client; a client that falls further behind loses whole batches "
     "(counted in errors).",
     false,
     {},
     1},
    kReconnectMinOption,
    kReconnectMaxOption,
};

} // namespace

std::span<const OptionSpec> tcp_server_sink_options() {
    return kOptions;
}

TcpServerSink::TcpServerSink(const ComponentConfig& config, Diagnostics& diagnostics,
                             Scheduler& scheduler)
    : EncodedSink(config, diagnostics, scheduler) {
    Options options(config.options, diagnostics);
    max_clients_ = static_cast<std::size_t>(options.integer("max_clients", 64));
    client_buffer_ = static_cast<std::size_t>(options.size("client_buffer", 1 << 20));
    backoff_ = reconnect_backoff(options);
}

std::unique_ptr<Sink> TcpServerSink::make(const ComponentConfig& config, Diagnostics& diagnostics,
                                          Scheduler& scheduler) {
    std::unique_ptr<TcpServerSink> sink(new TcpServerSink(config, diagnostics, scheduler));
    Options options(config.options, diagnostics);
    auto address = address_option(options, "listen", AddressUse::listen);
    if (!address) {
        return nullptr;
    }
    sink->address_ = *address;
    return sink->valid() ? std::move(sink) : nullptr;
}

Task<void> TcpServerSink::open_transport() {
    tasks_ = std::make_unique<Scope>(scheduler_, log_failures(LogLevel::warn));
    timer_ = std::make_unique<Timer>(scheduler_);
    tasks_->spawn(accept_loop(), status_.name + " accept");
    co_return;
}

Task<void> TcpServerSink::accept_loop() {
    while (!listener_) {
        std::string failure;
        try {
            auto address = co_await resolve(scheduler_, address_);
            listener_.emplace(Listener::tcp(scheduler_, address));
            status_.state = ComponentState::running;
            log_info(status_.name, "state running: listening on " + address_.host + ":" +
                                       std::to_string(listener_->port()));
        } catch (const IoError& e) {
            failure = e.what();
        }
        if (failure.empty()) {
            break;
        }
        listener_.reset();
        status_.record_error(failure);
        status_.state = ComponentState::backoff;
        auto delay = backoff_.next_ms();
        log_.write(LogLevel::warn, status_.name,
                   "state backoff: " + failure + "; retrying in " + std::to_string(delay) + "ms");
        co_await timer_->sleep(delay);
    }
    while (!closing_) {
        auto stream = co_await listener_->accept();
        if (clients_.size() >= max_clients_) {
            status_.record_error("client refused: max_clients reached");
            log_.write(LogLevel::warn, status_.name,
                       "refused a client: max_clients (" + std::to_string(max_clients_) +
                           ") reached");
            continue;
        }
        auto& client = clients_.emplace_back(std::move(stream), scheduler_);
        client.pending = preamble();
        tasks_->spawn(client_writer(&client), status_.name + " client");
    }
}

Task<void> TcpServerSink::client_writer(Client* client) {
    try {
        while (true) {
            if (client->pending.empty()) {
                if (client->done || closing_) {
                    break;
                }
                co_await client->wake.wait();
                continue;
            }
            // Swapping keeps both buffers' capacity: no allocation once warmed up.
            std::swap(client->pending, client->writing);
            co_await client->stream.write(client->writing);
            client->writing.clear();
        }
    } catch (const Cancelled&) {
    } catch (const IoError& e) {
        log_.write(LogLevel::info, status_.name, std::string("client gone: ") + e.what());
    }
    remove(client);
}

void TcpServerSink::remove(Client* client) {
    client->stream.close();
    clients_.remove_if([client](const Client& c) { return &c == client; });
}

Task<void> TcpServerSink::send(std::string_view bytes) {
    for (auto& client : clients_) {
        if (client.done) {
            continue;
        }
        if (client.pending.size() + bytes.size() > client_buffer_) {
            // Whole batches only, so the client's stream stays aligned on event boundaries.
            client.dropped_bytes += bytes.size();
            status_.record_error("slow client: dropped a batch");
            log_.write(LogLevel::warn, status_.name,
                       "client too slow: dropped " + std::to_string(bytes.size()) +
                           " bytes for it (" + std::to_string(client.dropped_bytes) + " in all)");
            continue;
        }
        client.pending.append(bytes);
        client.wake.notify();
    }
    co_return;
}

void TcpServerSink::cancel_transport() {
    closing_ = true;
    if (listener_) {
        listener_->close();
    }
    if (timer_) {
        timer_->close();
    }
    for (auto& client : clients_) {
        client.done = true;
        client.stream.close();
    }
}

Task<void> TcpServerSink::close_transport() {
    closing_ = true;
    if (listener_) {
        listener_->close();
    }
    if (timer_) {
        timer_->close();
    }
    // Writers finish what their clients already have queued, then end.
    for (auto& client : clients_) {
        client.wake.notify();
    }
    if (tasks_) {
        co_await tasks_->join();
    }
    listener_.reset();
}

} // namespace sluice
