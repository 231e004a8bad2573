#pragma once
// A compact one-line configuration syntax for tests and benchmarks, in the spirit of YAML flow
// style: `type: deadband, field: temp, delta: 0.5, key: [sensor], set: {f: "a + 1"}`.

#include "pipeline/config_node.hpp"

#include <string_view>

namespace sluice::testing {

/// Parses `text` into a ConfigNode tree whose positions are line 1 and the column of each
/// node in `text`. The outer braces of the top mapping may be left out. Scalars are plain
/// (ending at `,` `]` `}` outside parentheses and brackets; `null`, `~` or nothing is a null
/// node) or quoted with "..." (backslash escapes) or '...'. Throws std::invalid_argument on a
/// syntax error.
ConfigNode parse_config_text(std::string_view text);

} // namespace sluice::testing
