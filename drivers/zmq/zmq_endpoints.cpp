#include "drivers/zmq/zmq_endpoints.hpp"

#include "drivers/log.hpp"
#include "drivers/runtime/backoff.hpp"
#include "pipeline/value_checks.hpp"

#include <algorithm>
#include <cerrno>

namespace sluice {

namespace {

constexpr std::string_view kIpc = "ipc://";

std::vector<std::string> non_empty(std::vector<std::string> items) {
    std::erase_if(items, [](const std::string& item) { return item.empty(); });
    return items;
}

} // namespace

std::string check_zmq_endpoint(std::string_view text) {
    if (text.empty()) {
        return {}; // an empty item is left out; no endpoint at all is reported by the factory
    }
    bool tcp = text.starts_with("tcp://") && text.size() > 6;
    bool ipc = text.starts_with(kIpc) && text.size() > kIpc.size();
    if (!tcp && !ipc) {
        return ", expected tcp://host:port or ipc:///path";
    }
    // libzmq refuses a longer path at bind or connect time; say so at load time instead.
    if (ipc && text.size() - kIpc.size() > kMaxSocketPathBytes) {
        return " (its path is " + std::to_string(text.size() - kIpc.size()) +
               " bytes), expected an ipc:// path of at most " +
               std::to_string(kMaxSocketPathBytes) + " bytes";
    }
    return {};
}

int zmq_milliseconds(Nanos duration) {
    auto ms = std::clamp<Nanos>(duration / 1'000'000, 0, 24LL * 3600 * 1000);
    return static_cast<int>(ms);
}

std::optional<ZmqEndpoints> read_zmq_endpoints(const ComponentConfig& config,
                                               Diagnostics& diagnostics) {
    Options options(config.options, diagnostics);
    ZmqEndpoints endpoints;
    endpoints.bind = non_empty(options.strings("bind"));
    endpoints.connect = non_empty(options.strings("connect"));
    endpoints.hwm = static_cast<int>(options.integer("hwm", 1000));
    endpoints.reconnect_ms = zmq_milliseconds(options.duration("reconnect_min"));
    endpoints.reconnect_max_ms = zmq_milliseconds(options.duration("reconnect_max"));
    if (endpoints.bind.empty() && endpoints.connect.empty()) {
        diagnostics.error(config.position, config.type + " " + std::string(kind_name(config.kind)) +
                                               " '" + config.name +
                                               "' needs 'connect' or 'bind', expected one or "
                                               "more endpoints such as tcp://127.0.0.1:5556");
        return std::nullopt;
    }
    return endpoints;
}

void attach_zmq_endpoints(ZmqSocket& socket, const ZmqEndpoints& endpoints) {
    socket.set_int(ZMQ_IPV6, 1, "ZMQ_IPV6");
    socket.set_int(ZMQ_RECONNECT_IVL, std::max(1, endpoints.reconnect_ms), "ZMQ_RECONNECT_IVL");
    socket.set_int(ZMQ_RECONNECT_IVL_MAX,
                   std::max(endpoints.reconnect_ms, endpoints.reconnect_max_ms),
                   "ZMQ_RECONNECT_IVL_MAX");
    for (const auto& endpoint : endpoints.bind) {
        socket.bind(endpoint);
    }
    for (const auto& endpoint : endpoints.connect) {
        socket.connect(endpoint);
    }
}

Task<std::unique_ptr<ZmqSocket>> open_zmq_socket(Scheduler* scheduler, Timer* timer,
                                                 ComponentStatus* status, ZmqEndpoints endpoints,
                                                 int type,
                                                 std::function<void(ZmqSocket&)> configure) {
    Backoff backoff(static_cast<std::uint64_t>(endpoints.reconnect_ms),
                    static_cast<std::uint64_t>(endpoints.reconnect_max_ms));
    while (true) {
        std::string in_use;
        try {
            auto socket = std::make_unique<ZmqSocket>(*scheduler, type);
            configure(*socket);
            attach_zmq_endpoints(*socket, endpoints);
            if (status->state == ComponentState::backoff) {
                status->state = ComponentState::running;
                log_info(status->name, "state running: endpoints bound");
            }
            co_return socket;
        } catch (const ZmqError& e) {
            if (e.code() != EADDRINUSE) {
                throw;
            }
            in_use = e.what();
        }
        if (status->state != ComponentState::backoff) {
            status->state = ComponentState::backoff;
            status->record_error(in_use);
            log_warn(status->name, "state backoff: " + in_use + "; retrying");
        }
        co_await timer->sleep(backoff.next_ms());
    }
}

} // namespace sluice
