#pragma once
// YAML text -> ConfigNode tree, keeping the 1-based position of every node and key. The only
// place in sluice that sees yaml-cpp's parser.

#include "config/env_subst.hpp"
#include "pipeline/config_node.hpp"

#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace sluice {

/// Positions (line, column) of scalars whose ${VAR} substitution failed: their error is already
/// reported, so later checks skip them instead of reporting the same scalar twice.
using TaintedPositions = std::set<std::pair<std::uint32_t, std::uint32_t>>;

struct YamlDocument {
    /// The document's root; a null node for an empty file.
    ConfigNode root;
    TaintedPositions tainted;
};

/// Parses the single YAML document in `text` (already checked by check_text). Applies ${VAR}
/// substitution to every scalar, keys included, and `<<` merge keys. Reports duplicate keys,
/// non-scalar keys and unsupported tags and goes on; returns nullopt after a syntax error, a
/// second document, or a breached limit (depth, node count, text size after aliases). Never
/// throws except std::bad_alloc.
std::optional<YamlDocument> read_yaml(std::string_view text, const EnvLookup& env,
                                      Diagnostics& diagnostics);

/// True when `where` is in `tainted`.
bool is_tainted(const TaintedPositions& tainted, Position where);

} // namespace sluice
