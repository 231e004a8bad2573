#include "drivers/sinks/udp.hpp"

#include "drivers/address_option.hpp"
#include "drivers/runtime/errors.hpp"

namespace sluice {

namespace {
constexpr OptionSpec kOptions[] = {
    {.key = "connect",
     .type = OptionType::string,
     .default_value = "",
     .doc = "Where to send: host:port or [v6]:port.",
     .required = true,
     .check = check_connect_address},
};
} // namespace

std::span<const OptionSpec> udp_sink_options() {
    return kOptions;
}

UdpSink::UdpSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler)
    : EncodedSink(config, diagnostics, scheduler) {}

std::unique_ptr<Sink> UdpSink::make(const ComponentConfig& config, Diagnostics& diagnostics,
                                    Scheduler& scheduler) {
    std::unique_ptr<UdpSink> sink(new UdpSink(config, diagnostics, scheduler));
    Options options(config.options, diagnostics);
    auto address = address_option(options, "connect", AddressUse::connect);
    if (!address) {
        return nullptr;
    }
    sink->address_ = *address;
    return sink->valid() ? std::move(sink) : nullptr;
}

Task<void> UdpSink::send(std::string_view bytes) {
    if (cancelled_) {
        throw Cancelled{};
    }
    try {
        if (!socket_) {
            auto address = co_await resolve(scheduler_, address_);
            socket_.emplace(UdpSocket::connect(scheduler_, address));
        }
        co_await socket_->send(bytes);
    } catch (const IoError& e) {
        // The datagram is lost, as UDP loses datagrams; the sink carries on.
        status_.record_error(e.what());
        log_.write(LogLevel::warn, status_.name, std::string("datagram lost: ") + e.what());
    }
}

void UdpSink::cancel_transport() {
    cancelled_ = true;
    if (socket_) {
        socket_->close();
    }
}

Task<void> UdpSink::close_transport() {
    socket_.reset();
    co_return;
}

} // namespace sluice
