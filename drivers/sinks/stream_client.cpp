#include "drivers/sinks/stream_client.hpp"

#include "drivers/address_option.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/socket.hpp"
#include "drivers/sources/reconnect.hpp"
#include "pipeline/value_checks.hpp"

#include <cerrno>
#include <sys/socket.h>

namespace sluice {

namespace {

constexpr OptionSpec kTcpOptions[] = {
    kConnectOption,
    kConnectTimeoutOption,
    kReconnectMinOption,
    kReconnectMaxOption,
};

constexpr OptionSpec kUnixOptions[] = {
    {.key = "path",
     .type = OptionType::string,
     .default_value = "",
     .doc = "Path of the Unix stream socket to connect to, at most 107 bytes.",
     .required = true,
     .check = check_socket_path},
    kReconnectMinOption,
    kReconnectMaxOption,
};

} // namespace

std::span<const OptionSpec> tcp_client_sink_options() {
    return kTcpOptions;
}
std::span<const OptionSpec> unix_sink_options() {
    return kUnixOptions;
}

StreamClientSink::StreamClientSink(const ComponentConfig& config, Diagnostics& diagnostics,
                                   Scheduler& scheduler)
    : EncodedSink(config, diagnostics, scheduler) {
    Options options(config.options, diagnostics);
    backoff_ = reconnect_backoff(options);
}

std::unique_ptr<Sink> StreamClientSink::make_tcp(const ComponentConfig& config,
                                                 Diagnostics& diagnostics, Scheduler& scheduler) {
    std::unique_ptr<StreamClientSink> sink(new StreamClientSink(config, diagnostics, scheduler));
    Options options(config.options, diagnostics);
    sink->address_ = address_option(options, "connect", AddressUse::connect);
    if (!sink->address_) {
        return nullptr;
    }
    sink->target_ = sink->address_->text();
    sink->connect_timeout_ms_ = connect_timeout_ms(options);
    return sink->valid() ? std::move(sink) : nullptr;
}

std::unique_ptr<Sink> StreamClientSink::make_unix(const ComponentConfig& config,
                                                  Diagnostics& diagnostics, Scheduler& scheduler) {
    std::unique_ptr<StreamClientSink> sink(new StreamClientSink(config, diagnostics, scheduler));
    Options options(config.options, diagnostics);
    auto path = options.checked_string("path", check_socket_path);
    if (!path) {
        return nullptr;
    }
    sink->path_ = std::move(*path);
    sink->target_ = sink->path_;
    return sink->valid() ? std::move(sink) : nullptr;
}

Task<void> StreamClientSink::connect() {
    if (!timer_) {
        timer_ = std::make_unique<Timer>(scheduler_);
    }
    while (!stream_) {
        if (cancelled_) {
            throw Cancelled{};
        }
        status_.state = ComponentState::connecting;
        std::string failure;
        try {
            if (address_) {
                auto address = co_await resolve(scheduler_, *address_);
                stream_.emplace(Stream::tcp(scheduler_));
                co_await connect_tcp(*stream_, address, connect_timeout_ms_);
                tune_tcp(*stream_);
            } else {
                stream_.emplace(Stream::pipe(scheduler_));
                co_await connect_unix(*stream_, path_);
            }
            if (!preamble().empty()) {
                co_await stream_->write(preamble());
            }
        } catch (const IoError& e) {
            failure = e.what();
        }
        if (!failure.empty()) {
            stream_.reset();
            status_.record_error(failure);
            status_.state = ComponentState::backoff;
            auto delay = backoff_.next_ms();
            log_.write(LogLevel::warn, status_.name,
                       "state backoff: cannot connect to " + target_ + ": " + failure +
                           "; retrying in " + std::to_string(delay) + "ms");
            co_await timer_->sleep(delay);
            continue;
        }
        backoff_.reset();
        status_.state = ComponentState::running;
        log_info(status_.name, "state running: connected to " + target_);
    }
}

bool StreamClientSink::peer_closed() {
    // A sink never reads, so a peer that closed shows only here: a peek that sees the end of
    // the stream (or a reset) before the batch goes into a dead connection.
    uv_os_fd_t fd = -1;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(stream_->handle()), &fd) != 0) {
        return true;
    }
    char byte;
    auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

void StreamClientSink::disconnect(const std::string& why) {
    stream_.reset();
    status_.record_error(why);
    status_.state = ComponentState::backoff;
    log_warn(status_.name,
             "state backoff: connection to " + target_ + " lost (" + why + "); reconnecting");
}

Task<void> StreamClientSink::send(std::string_view bytes) {
    sending_ = true;
    struct Done {
        bool& flag;
        ~Done() { flag = false; }
    } done{sending_};
    while (true) {
        if (stream_ && peer_closed()) {
            disconnect("closed by peer");
        }
        co_await connect();
        std::string failure;
        try {
            co_await stream_->write(bytes);
            co_return;
        } catch (const IoError& e) {
            failure = e.what();
        }
        disconnect(failure);
    }
}

bool StreamClientSink::send_now(std::string_view bytes) {
    if (!stream_ || stream_->closed() || peer_closed()) {
        return false;
    }
    return stream_->write_now(bytes);
}

void StreamClientSink::cancel_transport() {
    cancelled_ = true;
    // Closing the stream ends a connect or write in progress. An idle connection stays open
    // until close_transport(): an aborted actuator's safe state can still go out on it
    // (send_now()), where a command cut off mid-write would have garbled it.
    if (stream_ && sending_) {
        stream_->close();
    }
    if (timer_) {
        timer_->close();
    }
}

Task<void> StreamClientSink::close_transport() {
    stream_.reset();
    if (timer_) {
        timer_->close();
    }
    co_return;
}

} // namespace sluice
