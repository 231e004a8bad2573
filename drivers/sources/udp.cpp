#include "drivers/sources/udp.hpp"

#include "drivers/address_option.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/sources/stream_pump.hpp"

namespace sluice {

namespace {
constexpr OptionSpec kOptions[] = {
    {.key = "listen",
     .type = OptionType::string,
     .default_value = "",
     .doc = "Address to receive on: host:port, [v6]:port, or :port for every interface.",
     .required = true,
     .check = check_listen_address},
};
} // namespace

std::span<const OptionSpec> udp_source_options() {
    return kOptions;
}

UdpSource::UdpSource(const ComponentConfig& config, Diagnostics& diagnostics)
    : Source(config), decoder_(config, diagnostics, "datagram") {
    Options options(config.options, diagnostics);
    auto framing = options.string("framing");
    datagram_framing_ = framing.empty() || framing == "datagram";
}

std::unique_ptr<Source> UdpSource::make(const ComponentConfig& config, Diagnostics& diagnostics) {
    std::unique_ptr<UdpSource> source(new UdpSource(config, diagnostics));
    Options options(config.options, diagnostics);
    auto address = address_option(options, "listen", AddressUse::listen);
    if (!address || !source->decoder_.valid()) {
        return nullptr;
    }
    source->address_ = *address;
    return source;
}

Task<void> UdpSource::run(Scheduler& scheduler, SourceOutput& output) {
    auto address = co_await resolve(scheduler, address_);
    if (stopping_) {
        co_return;
    }
    socket_.emplace(UdpSocket::bind(scheduler, address));
    status_.state = ComponentState::running;
    log_info(status_.name, "state running: receiving on " + address_.host + ":" +
                               std::to_string(socket_->port()));
    EventBatch batch;
    std::uint64_t truncated_seen = 0;
    try {
        while (!stopping_) {
            co_await wait_until_accepting(&output);
            auto datagrams = co_await socket_->receive();
            auto now = wall_clock_now();
            for (auto datagram : datagrams) {
                decoder_.feed(datagram, batch, now, status_);
                if (!datagram_framing_) {
                    decoder_.finish(batch, now, status_);
                }
            }
            if (auto truncated = socket_->truncated(); truncated > truncated_seen) {
                status_.errors += truncated - truncated_seen;
                status_.last_error = "datagram over 64 KiB truncated";
                truncated_seen = truncated;
            }
            push_batch(batch, output, status_, now);
        }
    } catch (const Cancelled&) {
    }
    socket_.reset();
    status_.state = ComponentState::stopped;
}

void UdpSource::stop() {
    stopping_ = true;
    if (socket_) {
        socket_->close();
    }
}

} // namespace sluice
