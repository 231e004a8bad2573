#include "drivers/sources/stream_server.hpp"

#include "drivers/address_option.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/sources/reconnect.hpp"
#include "drivers/sources/stream_pump.hpp"
#include "pipeline/value_checks.hpp"

#include <charconv>

namespace sluice {

namespace {

constexpr std::size_t kReadSize = 64 * 1024;

/// Permissions written in octal, 0 to 07777.
std::optional<unsigned> parse_mode(std::string_view text) {
    unsigned mode = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mode, 8);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || mode > 07777) {
        return std::nullopt;
    }
    return mode;
}

std::string check_mode(std::string_view text) {
    return parse_mode(text) ? std::string() : ", expected octal permissions such as 0660";
}

constexpr OptionSpec kMaxClients{
    "max_clients",
    OptionType::integer,
    "64",
    "Most clients served at once; more are disconnected at once and counted in errors.",
    false,
    {},
    1,
    100000};

constexpr OptionSpec kTcpOptions[] = {
    kListenOption,
    kMaxClients,
    kReconnectMinOption,
    kReconnectMaxOption,
};

constexpr OptionSpec kUnixOptions[] = {
    {.key = "path",
     .type = OptionType::string,
     .default_value = "",
     .doc = "Path of the Unix stream socket, at most 107 bytes; a stale socket file nobody "
            "listens on is replaced.",
     .required = true,
     .check = check_socket_path},
    {.key = "mode",
     .type = OptionType::string,
     .default_value = "0660",
     .doc = "Permissions of the socket file, in octal (0 to 07777).",
     .check = check_mode},
    kMaxClients,
    kReconnectMinOption,
    kReconnectMaxOption,
};

} // namespace

std::span<const OptionSpec> tcp_server_source_options() {
    return kTcpOptions;
}
std::span<const OptionSpec> unix_server_source_options() {
    return kUnixOptions;
}

StreamServerSource::StreamServerSource(const ComponentConfig& config, Diagnostics& diagnostics)
    : Source(config), config_(config) {
    Options options(config.options, diagnostics);
    max_clients_ = static_cast<std::size_t>(options.integer("max_clients", 64));
    backoff_ = reconnect_backoff(options);
}

std::unique_ptr<Source> StreamServerSource::make_tcp(const ComponentConfig& config,
                                                     Diagnostics& diagnostics) {
    std::unique_ptr<StreamServerSource> source(new StreamServerSource(config, diagnostics));
    Options options(config.options, diagnostics);
    source->address_ = address_option(options, "listen", AddressUse::listen);
    bool framing_ok = FrameDecoder(config, diagnostics, "lines").valid();
    return source->address_ && framing_ok ? std::move(source) : nullptr;
}

std::unique_ptr<Source> StreamServerSource::make_unix(const ComponentConfig& config,
                                                      Diagnostics& diagnostics) {
    std::unique_ptr<StreamServerSource> source(new StreamServerSource(config, diagnostics));
    Options options(config.options, diagnostics);
    source->unix_ = true;
    auto mode = options.checked_string("mode", check_mode, "0660");
    auto path = options.checked_string("path", check_socket_path);
    bool framing_ok = FrameDecoder(config, diagnostics, "lines").valid();
    if (!mode || !path || !framing_ok) {
        return nullptr;
    }
    source->mode_ = *parse_mode(*mode);
    source->path_ = std::move(*path);
    return source;
}

Task<void> StreamServerSource::listen(Scheduler& scheduler) {
    while (!stopping_) {
        status_.state = ComponentState::connecting;
        std::string failure;
        try {
            if (unix_) {
                listener_.emplace(Listener::unix_socket(scheduler, path_, mode_));
                log_info(status_.name, "state running: listening on " + path_);
            } else {
                auto address = co_await resolve(scheduler, *address_);
                listener_.emplace(Listener::tcp(scheduler, address));
                log_info(status_.name, "state running: listening on " + address_->host + ":" +
                                           std::to_string(listener_->port()));
            }
            status_.state = ComponentState::running;
            co_return;
        } catch (const IoError& e) {
            failure = e.what();
        }
        listener_.reset();
        status_.record_error(failure);
        status_.state = ComponentState::backoff;
        auto delay = backoff_.next_ms();
        log_.write(LogLevel::warn, status_.name,
                   "state backoff: " + failure + "; retrying in " + std::to_string(delay) + "ms");
        co_await timer_->sleep(delay);
    }
    throw Cancelled{};
}

Task<void> StreamServerSource::accept_loop(Scheduler& scheduler, SourceOutput& output,
                                           Scope& scope) {
    co_await listen(scheduler);
    while (!stopping_) {
        auto stream = co_await listener_->accept();
        if (clients_.size() >= max_clients_) {
            status_.record_error("client refused: max_clients reached");
            log_.write(LogLevel::warn, status_.name,
                       "refused a client: max_clients (" + std::to_string(max_clients_) +
                           ") reached");
            continue; // the stream closes as it goes out of scope
        }
        Diagnostics ignored;
        auto& client = clients_.emplace_back(
            Client{std::move(stream), FrameDecoder(config_, ignored, "lines"), {}});
        client.buffer.resize(kReadSize);
        scope.spawn(serve(&client, &output), status_.name);
    }
}

Task<void> StreamServerSource::serve(Client* client, SourceOutput* output) {
    try {
        co_await pump_stream(&client->stream, &client->decoder, output, &status_, client->buffer);
    } catch (const Cancelled&) {
    } catch (const IoError& e) {
        // A client resetting its connection is the client's business, not a failure of ours.
        log_.write(LogLevel::info, status_.name, std::string("client gone: ") + e.what());
    }
    client->stream.close();
    clients_.remove_if([client](const Client& c) { return &c == client; });
}

Task<void> StreamServerSource::run(Scheduler& scheduler, SourceOutput& output) {
    timer_ = std::make_unique<Timer>(scheduler);
    Scope scope(scheduler, log_failures(LogLevel::warn));
    std::exception_ptr error;
    try {
        co_await accept_loop(scheduler, output, scope);
    } catch (const Cancelled&) {
    } catch (...) {
        error = std::current_exception();
    }
    stopping_ = true;
    for (auto& client : clients_) {
        client.stream.close();
    }
    co_await scope.join();
    listener_.reset();
    timer_->close();
    status_.state = ComponentState::stopped;
    if (error) {
        std::rethrow_exception(error);
    }
}

void StreamServerSource::stop() {
    stopping_ = true;
    if (listener_) {
        listener_->close();
    }
    if (timer_) {
        timer_->close();
    }
    for (auto& client : clients_) {
        client.stream.close();
    }
}

} // namespace sluice
