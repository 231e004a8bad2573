#pragma once
// Where `daemon.status_socket` resolves to, and the check that the resolved path fits a Unix
// socket address. The daemon, the client commands and the loader resolve it the same way.

#include "config/option_check.hpp"

#include <string>

namespace sluice {

/// An absolute path stays as it is. A relative one goes under $RUNTIME_DIRECTORY (its first
/// entry; systemd sets it from RuntimeDirectory=) when that is set, else under the working
/// directory (and stays relative: the socket address holds it as it is).
std::string resolve_socket_path(const std::string& configured);

/// Reports a `status_socket` of the checked daemon mapping `daemon` that fits a socket address
/// as written but not once resolved under $RUNTIME_DIRECTORY, at the value (or where the
/// default stands). The path as written is checked by its option's own check.
void check_resolved_status_socket(const ConfigNode& daemon, const CheckContext& context);

} // namespace sluice
