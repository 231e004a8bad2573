#include "drivers/address_option.hpp"

namespace sluice {

namespace {

std::string check_address(std::string_view text, AddressUse use) {
    std::string error;
    auto address = parse_host_port(text, error);
    if (use == AddressUse::listen) {
        return address ? std::string() : ", " + error;
    }
    if (!address || address->host.empty() || address->port == 0) {
        return ", expected host:port such as 127.0.0.1:9000 or [::1]:9000";
    }
    return {};
}

} // namespace

std::string check_listen_address(std::string_view text) {
    return check_address(text, AddressUse::listen);
}

std::string check_connect_address(std::string_view text) {
    return check_address(text, AddressUse::connect);
}

std::optional<HostPort> address_option(const Options& options, std::string_view key,
                                       AddressUse use) {
    auto text = options.checked_string(key, use == AddressUse::listen ? check_listen_address
                                                                      : check_connect_address);
    if (!text) {
        return std::nullopt;
    }
    std::string error;
    return parse_host_port(*text, error);
}

} // namespace sluice
