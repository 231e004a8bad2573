#pragma once
// Blocking socket helpers for the benchmark tools. Each throws std::runtime_error naming the
// call and errno when the kernel refuses.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::bench {

/// A listening TCP socket on 127.0.0.1:`port`.
int tcp_listen(std::uint16_t port);
/// Accepts one connection, waiting at most `timeout_ms`; throws on timeout.
int tcp_accept(int listener, int timeout_ms);
/// Connects to 127.0.0.1:`port`, retrying for up to `timeout_ms` while nobody listens yet.
int tcp_connect(std::uint16_t port, int timeout_ms);
/// A UDP socket connected to 127.0.0.1:`port`.
int udp_connect(std::uint16_t port);

/// Writes all of `bytes`; throws on error (a peer that went away included).
void write_all(int fd, std::string_view bytes);
/// Waits until `fd` is readable for at most `timeout_ms`; false on timeout.
bool wait_readable(int fd, int timeout_ms);

/// Throws std::runtime_error("`what`: strerror(errno)").
[[noreturn]] void throw_errno(const std::string& what);

} // namespace sluice::bench
