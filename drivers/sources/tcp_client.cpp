#include "drivers/sources/tcp_client.hpp"

#include "drivers/address_option.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/socket.hpp"
#include "drivers/sources/reconnect.hpp"
#include "drivers/sources/stream_pump.hpp"

namespace sluice {

namespace {

constexpr std::size_t kReadSize = 64 * 1024;

constexpr OptionSpec kOptions[] = {
    kConnectOption,
    kConnectTimeoutOption,
    kReconnectMinOption,
    kReconnectMaxOption,
};

} // namespace

std::span<const OptionSpec> tcp_client_source_options() {
    return kOptions;
}

TcpClientSource::TcpClientSource(const ComponentConfig& config, Diagnostics& diagnostics)
    : Source(config), decoder_(config, diagnostics, "lines") {}

std::unique_ptr<Source> TcpClientSource::make(const ComponentConfig& config,
                                              Diagnostics& diagnostics) {
    std::unique_ptr<TcpClientSource> source(new TcpClientSource(config, diagnostics));
    Options options(config.options, diagnostics);
    auto address = address_option(options, "connect", AddressUse::connect);
    if (!address || !source->decoder_.valid()) {
        return nullptr;
    }
    source->address_ = *address;
    source->backoff_ = reconnect_backoff(options);
    source->connect_timeout_ms_ = connect_timeout_ms(options);
    return source;
}

Task<bool> TcpClientSource::session(Scheduler& scheduler, SourceOutput& output) {
    status_.state = ComponentState::connecting;
    try {
        auto address = co_await resolve(scheduler, address_);
        stream_.emplace(Stream::tcp(scheduler));
        co_await connect_tcp(*stream_, address, connect_timeout_ms_);
        tune_tcp(*stream_);
    } catch (const IoError& e) {
        stream_.reset();
        status_.record_error(e.what());
        status_.state = ComponentState::backoff;
        log_.write(LogLevel::warn, status_.name,
                   "state backoff: cannot connect to " + address_.text() + ": " + e.what());
        co_return false;
    }
    status_.state = ComponentState::running;
    backoff_.reset();
    log_info(status_.name, "state running: connected to " + address_.text());
    std::string why = "peer closed the connection";
    try {
        co_await pump_stream(&*stream_, &decoder_, &output, &status_, buffer_);
    } catch (const IoError& e) {
        status_.record_error(e.what());
        why = e.what();
    }
    stream_.reset();
    status_.state = ComponentState::backoff;
    log_warn(status_.name, "state backoff: " + why + "; reconnecting");
    co_return true;
}

Task<void> TcpClientSource::run(Scheduler& scheduler, SourceOutput& output) {
    timer_ = std::make_unique<Timer>(scheduler);
    buffer_.resize(kReadSize);
    try {
        while (!stopping_) {
            co_await session(scheduler, output);
            if (stopping_) {
                break;
            }
            co_await timer_->sleep(backoff_.next_ms());
        }
    } catch (const Cancelled&) {
    }
    stream_.reset();
    timer_->close();
    status_.state = ComponentState::stopped;
}

void TcpClientSource::stop() {
    stopping_ = true;
    if (stream_) {
        stream_->close();
    }
    if (timer_) {
        timer_->close();
    }
}

} // namespace sluice
