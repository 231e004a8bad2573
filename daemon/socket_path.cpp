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
        error = diagnostics.format_all();
        // format_all() ends each diagnostic with a newline; the caller ends the message itself.
        while (!error.empty() && error.back() == '\n') {
            error.pop_back();
        }
        return std::nullopt;
    }
    std::string configured = DaemonConfig{}.status_socket;
    if (const auto* daemon = document->root.find("daemon"); daemon && daemon->is_mapping()) {
        if (const auto* socket = daemon->find("status_socket"); socket && socket->is_scalar()) {
            // Mistakes elsewhere in the file do not matter here, but one in this value (an
            // unset ${VAR}) would leave a path that names no socket.
            for (const auto& diagnostic : diagnostics.all()) {
                if (diagnostic.severity == Severity::error &&
                    diagnostic.position.line == socket->position().line) {
                    error = diagnostics.format(diagnostic);
                    return std::nullopt;
                }
            }
            configured = socket->text();
        }
    }
    return resolve_socket_path(configured);
}

} // namespace sluice
