#pragma once
// Checks configuration values against their OptionSpecs and fills in defaults.

#include "config/yaml_reader.hpp"
#include "pipeline/options.hpp"

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace sluice {

/// What every check needs: where to report, and which scalars already have an error.
struct CheckContext {
    Diagnostics& diagnostics;
    const TaintedPositions& tainted;
};

/// Checks one value against its spec (type, range, choices); reports each problem at the
/// value and returns false when there was one.
bool check_value(const ConfigNode& value, const OptionSpec& spec, const CheckContext& context);

/// The accepted options of a mapping: several spec tables (common, kind, shared).
using OptionGroups = std::initializer_list<std::span<const OptionSpec>>;

/// Checks every key of `mapping` (unknown keys, with a suggestion; each value), reports
/// required options that are missing at `owner_position` naming `owner` ("source 'gps'"),
/// then adds the default of every missing option that has one, so factories see every key.
void check_mapping(ConfigNode& mapping, OptionGroups groups, std::string_view owner,
                   Position owner_position, const CheckContext& context);

/// The default of `spec` as a node standing at `where` ("[a, b]" becomes a sequence).
ConfigNode default_node(const OptionSpec& spec, Position where);

/// "a mapping", "a list", "an empty value" or "a value": what a node is, for messages.
std::string_view node_description(const ConfigNode& node);

} // namespace sluice
