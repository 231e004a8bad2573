#pragma once
// Writing values as text, shared by the encoders.

#include "pipeline/value.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

/// Appends `value` in decimal.
void append_int(std::string& out, std::int64_t value);

/// Appends a finite double in the shortest form that reads back to the same double, with ".0"
/// added to whole numbers so that readers keep it a double ("92.0", not "92").
void append_double(std::string& out, double value);

/// Appends `text` as a quoted JSON string: quotes, backslashes and control characters escaped,
/// and each byte that is not part of well-formed UTF-8 replaced by U+FFFD, so the output is
/// always valid JSON.
void append_json_string(std::string& out, std::string_view text);

/// Appends a value the plain way most text formats write it: null as nothing, true/false,
/// integers and doubles as above (non-finite doubles as nan, inf, -inf), strings raw.
void append_plain(std::string& out, Value value);

} // namespace sluice
