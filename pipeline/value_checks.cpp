#include "pipeline/value_checks.hpp"

namespace sluice {

std::string check_socket_path(std::string_view text) {
    if (text.empty()) {
        return ", expected the path of a Unix socket";
    }
    if (text.size() > kMaxSocketPathBytes) {
        return " (" + std::to_string(text.size()) + " bytes), expected a Unix socket path of at " +
               "most " + std::to_string(kMaxSocketPathBytes) + " bytes";
    }
    return {};
}

} // namespace sluice
