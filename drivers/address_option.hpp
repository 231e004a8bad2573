#pragma once
// The `listen` and `connect` options of the network sources and sinks: their check, which the
// loader applies (OptionSpec::check), and reading them in a factory.

#include "drivers/runtime/address.hpp"
#include "pipeline/options.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sluice {

/// What an address option is for: a listen address may leave out the host (every interface)
/// and take port 0 (any free port); a connect address needs both.
enum class AddressUse { listen, connect };

/// The check of a listen address: "" when `text` is host:port, [v6]:port or :port.
std::string check_listen_address(std::string_view text);
/// The check of a connect address: "" when `text` is host:port or [v6]:port, port not 0.
std::string check_connect_address(std::string_view text);

/// The `listen` option of the TCP servers (source and sink).
inline constexpr OptionSpec kListenOption{
    .key = "listen",
    .type = OptionType::string,
    .default_value = "",
    .doc = "Address to listen on: host:port, [v6]:port, or :port for every interface.",
    .required = true,
    .check = check_listen_address};

/// The `connect` option of the TCP clients (source and sink).
inline constexpr OptionSpec kConnectOption{.key = "connect",
                                           .type = OptionType::string,
                                           .default_value = "",
                                           .doc = "Server to connect to: host:port or [v6]:port.",
                                           .required = true,
                                           .check = check_connect_address};

/// The address in option `key`; reports it at its value as the check does, and returns
/// nullopt, when it is not one.
std::optional<HostPort> address_option(const Options& options, std::string_view key,
                                       AddressUse use);

} // namespace sluice
