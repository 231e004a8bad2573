#pragma once
// What the zmq source and sink share: endpoints, reconnect timing and the high-water mark.

#include "drivers/component.hpp"
#include "drivers/runtime/task.hpp"
#include "drivers/runtime/timer.hpp"
#include "drivers/zmq/zmq_socket.hpp"
#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

/// The check of one connect or bind endpoint (an OptionSpec::check, so the loader reports a bad
/// one at its own line and column, in a list too): "" for a tcp:// endpoint, an ipc:// one
/// whose path fits a Unix socket address, and an empty item (left out).
std::string check_zmq_endpoint(std::string_view text);

/// The option entries both zmq kinds declare (each kind lists them in its own table).
inline constexpr OptionSpec kZmqConnectOption = {
    .key = "connect",
    .type = OptionType::string_list,
    .default_value = "",
    .doc = "Endpoints to connect to (tcp://host:port, ipc:///path with a path of at most 107 "
           "bytes); one or a list. libzmq reconnects by itself.",
    .check = check_zmq_endpoint};
inline constexpr OptionSpec kZmqBindOption = {
    .key = "bind",
    .type = OptionType::string_list,
    .default_value = "",
    .doc = "Endpoints to bind (tcp://*:port, tcp://127.0.0.1:port, ipc:///path with a path of at "
           "most 107 bytes); one or a list.",
    .check = check_zmq_endpoint};
inline constexpr OptionSpec kZmqReconnectOption = {
    .key = "reconnect_min",
    .type = OptionType::duration,
    .default_value = "100ms",
    .doc = "connect: first wait before libzmq reconnects a lost connection; doubles up to "
           "reconnect_max.",
    .min = 0.001,
    .max = 3600,
    .at_most = "reconnect_max"};
inline constexpr OptionSpec kZmqReconnectMaxOption = {
    .key = "reconnect_max",
    .type = OptionType::duration,
    .default_value = "30s",
    .doc = "connect: longest wait between reconnection attempts.",
    .min = 0.001,
    .max = 3600};

/// The endpoints and timing of one zmq component, read and checked at build time.
struct ZmqEndpoints {
    std::vector<std::string> bind;
    std::vector<std::string> connect;
    int hwm = 1000;
    int reconnect_ms = 100;
    int reconnect_max_ms = 30000;
};

/// Reads connect, bind, hwm and the reconnect options. Reports to `diagnostics` a component
/// with neither connect nor bind; nullopt then. (The loader has checked each endpoint.)
std::optional<ZmqEndpoints> read_zmq_endpoints(const ComponentConfig& config,
                                               Diagnostics& diagnostics);

/// Sets reconnect timing and IPv6, then binds and connects `socket`. Set the high-water marks
/// before (they apply to connections made after). Throws ZmqError.
void attach_zmq_endpoints(ZmqSocket& socket, const ZmqEndpoints& endpoints);

/// Creates a socket of `type`, lets `configure` set its options, then binds and connects it.
/// While a bind endpoint is in use (a component replaced by a reload still closing it, another
/// program) it retries with the reconnect backoff, showing state `backoff`; closing `timer`
/// ends such a wait with Cancelled. Throws ZmqError for any other failure. `scheduler`,
/// `timer` and `status` must outlive the task.
Task<std::unique_ptr<ZmqSocket>> open_zmq_socket(Scheduler* scheduler, Timer* timer,
                                                 ComponentStatus* status, ZmqEndpoints endpoints,
                                                 int type,
                                                 std::function<void(ZmqSocket&)> configure);

/// Nanoseconds to whole milliseconds for libzmq's int options, at least 0.
int zmq_milliseconds(Nanos duration);

} // namespace sluice
