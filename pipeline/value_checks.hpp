#pragma once
// Checks of option values (OptionSpec::check) that the tables of more than one folder use.

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

/// The longest path a Unix socket address holds: Linux's sockaddr_un.sun_path has 108 bytes,
/// one of them the terminating NUL. drivers/ asserts this against <sys/un.h>.
inline constexpr std::size_t kMaxSocketPathBytes = 107;

/// The check of an option that names a Unix socket file: not empty, and at most
/// kMaxSocketPathBytes bytes, since a longer path cannot be bound or connected to without
/// being cut short.
std::string check_socket_path(std::string_view text);

} // namespace sluice
