#pragma once
// Typing unquoted text fields (csv, kv): numbers, booleans, null or text.

#include "pipeline/value.hpp"

#include <string_view>

namespace sluice {

/// Reads unquoted text as a typed value: "" is null; true/false (also True, TRUE, False,
/// FALSE) a bool; a decimal number in JSON form (-12, 3.5, 1e-3; no leading zeros, no '+',
/// no nan/inf) an int when it has no fraction or exponent and fits int64, else a double;
/// anything else the string itself (a view of `text`).
Value typed_scalar(std::string_view text);

} // namespace sluice
