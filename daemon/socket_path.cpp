#include "daemon/socket_path.hpp"

#include "config/yaml_reader.hpp"
#include "pipeline/pipeline_config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sluice {

std::optional<std::string> socket_from_config(const std::string& config_path, std::string& error) {
    std::ifstream file(config_path, std::ios::binary);
    if (!file) {
        error = "cannot read " + config_path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::stringstream text;
    text << file.rdbuf();
    Diagnostics diagnostics(config_path);
    auto document = read_yaml(text.str(), process_environment(), diagnostics);
    if (!document) {
        error = diagnostics.format_message();
        return std::nullopt;
    }
    std::string configured = DaemonConfig{}.status_socket;
    if (const auto* daemon = document->root.find("daemon"); daemon && daemon->is_mapping()) {
        if (const auto* socket = daemon->find("status_socket"); socket && socket->is_scalar()) {
            // Mistakes elsewhere in the file do not matter here, but a failed ${VAR} in this
            // value would leave a path that names no socket: report that value's own errors.
            if (is_tainted(document->tainted, socket->position())) {
                Diagnostics own(config_path);
                substitute_env(socket->text(), socket->position(), process_environment(), own);
                error = own.format_message();
                return std::nullopt;
            }
            configured = socket->text();
        }
    }
    return resolve_socket_path(configured);
}

} // namespace sluice
