#pragma once
// Where the status socket lives: `daemon.status_socket`, resolved the same way by the daemon
// and by the `status`, `tap` and `reload` commands.

#include "config/status_socket_path.hpp"

#include <optional>
#include <string>

namespace sluice {

/// The resolved status socket of the configuration file at `config_path`. Reads only the
/// `daemon.status_socket` key (with ${VAR} substitution), so a file that is otherwise invalid
/// still names its socket: `sluice reload` must reach a daemon whose new file has a mistake.
/// nullopt and `error` when the file cannot be read or parsed as YAML.
std::optional<std::string> socket_from_config(const std::string& config_path, std::string& error);

} // namespace sluice
