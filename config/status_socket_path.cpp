#include "config/status_socket_path.hpp"

#include "config/suggest.hpp"
#include "pipeline/value_checks.hpp"

#include <cstdlib>

namespace sluice {

std::string resolve_socket_path(const std::string& configured) {
    if (!configured.empty() && configured.front() == '/') {
        return configured;
    }
    if (const char* runtime = std::getenv("RUNTIME_DIRECTORY"); runtime && *runtime) {
        std::string first(runtime);
        first = first.substr(0, first.find(':'));
        return first + "/" + configured;
    }
    return configured;
}

void check_resolved_status_socket(const ConfigNode& daemon, const CheckContext& context) {
    const auto* socket = daemon.find("status_socket");
    if (!socket || !socket->is_scalar() || is_tainted(context.tainted, socket->position())) {
        return;
    }
    const std::string& written = socket->text();
    if (written.empty() || written.size() > kMaxSocketPathBytes) {
        return; // reported by the option's own check
    }
    auto resolved = resolve_socket_path(written);
    if (resolved.size() <= kMaxSocketPathBytes) {
        return;
    }
    context.diagnostics.error(
        socket->position(),
        "status_socket " + quote(written) + " resolves under $RUNTIME_DIRECTORY to " +
            quote(resolved) + " (" + std::to_string(resolved.size()) +
            " bytes), expected a path of at most " + std::to_string(kMaxSocketPathBytes) +
            " bytes once resolved: a shorter name, or an absolute path");
}

} // namespace sluice
