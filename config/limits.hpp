#pragma once
// The bounds the loader puts on a configuration file, so a hostile or broken file costs a clear
// error instead of time or memory.

#include <cstddef>

namespace sluice::config_limits {

/// Largest configuration file read; real files are a few KiB.
inline constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
/// Deepest nesting of mappings and sequences; real files stay under 6 levels.
inline constexpr std::size_t kMaxDepth = 64;
/// Most nodes in the tree after aliases are expanded (billion laughs guard).
inline constexpr std::size_t kMaxNodes = 100'000;
/// Most bytes of scalar text in the tree after aliases are expanded.
inline constexpr std::size_t kMaxTextBytes = 16 * 1024 * 1024;
/// Most keys in one mapping. ConfigNode::set() looks a key up linearly, so building a mapping
/// costs the square of its size; real mappings hold tens of keys.
inline constexpr std::size_t kMaxMappingKeys = 5'000;
/// Keys longer than this get no did-you-mean suggestion (edit distance is quadratic).
inline constexpr std::size_t kMaxSuggestLength = 64;

} // namespace sluice::config_limits
