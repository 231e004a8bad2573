#pragma once
// Writing values as text, shared by the encoders.

#include "pipeline/value.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

/// Room write_int and write_double need at most.
inline constexpr std::size_t kMaxIntChars = 20;
inline constexpr std::size_t kMaxDoubleChars = 32;

/// Room write_json_string needs at most for a string of `length` bytes.
constexpr std::size_t json_string_bound(std::size_t length) {
    return 6 * length + 2;
}

/// The writers below fill caller-sized room (see the bounds above) and return the end; the
/// append_ forms add to a string.

/// Appends `value` in decimal.
char* write_int(char* out, std::int64_t value);
void append_int(std::string& out, std::int64_t value);

/// Appends a finite double in the shortest form that reads back to the same double, with ".0"
/// added to whole numbers so that readers keep it a double ("92.0", not "92").
char* write_double(char* out, double value);
void append_double(std::string& out, double value);

/// Appends `text` as a quoted JSON string: quotes, backslashes and control characters escaped,
/// and each byte that is not part of well-formed UTF-8 replaced by U+FFFD, so the output is
/// always valid JSON.
char* write_json_string(char* out, std::string_view text);
void append_json_string(std::string& out, std::string_view text);

/// Appends a value the plain way most text formats write it: null as nothing, true/false,
/// integers and doubles as above (non-finite doubles as nan, inf, -inf), strings raw.
void append_plain(std::string& out, Value value);

} // namespace sluice
