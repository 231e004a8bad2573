#pragma once
// Network addresses: "host:port" text, and resolving it on the loop.

#include "drivers/runtime/task.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <sys/socket.h>
#include <sys/un.h>

namespace sluice {

class Scheduler;

/// A parsed "host:port": `127.0.0.1:9000`, `[::1]:9000`, `sensors.local:9000`, or `:9000`
/// (every interface; empty host).
struct HostPort {
    std::string host;
    std::uint16_t port = 0;
    std::string text() const;
};

/// Parses "host:port". Returns nullopt and sets `error` (what was expected) when malformed.
std::optional<HostPort> parse_host_port(std::string_view text, std::string& error);

/// A socket address of any family, as sockaddr functions take it.
struct SocketAddress {
    sockaddr_storage storage{};
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
    /// The port in host byte order (0 for non-IP families).
    std::uint16_t port() const;
};

/// The address of the Unix socket file at `path`. Throws IoError (UV_ENAMETOOLONG) when `path`
/// is empty or longer than an address holds (kMaxSocketPathBytes): cut short, it would name
/// another file.
sockaddr_un unix_socket_address(const std::string& path);

/// Turns `where` into an address: numeric hosts at once, names through getaddrinfo on libuv's
/// thread pool (the loop keeps running). An empty host means every interface (0.0.0.0).
/// Throws IoError when the name does not resolve, Cancelled never.
Task<SocketAddress> resolve(Scheduler& scheduler, HostPort where);

/// The local address a socket is bound to (for `listen: 127.0.0.1:0` in tests).
std::uint16_t bound_port(int fd);

} // namespace sluice
