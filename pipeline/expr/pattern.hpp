#pragma once
// Compiling the regular expressions of matches(), kept apart from the rest of the checker.

#include <regex>
#include <string>
#include <string_view>

namespace sluice::expr {

/// Compiles `pattern` (ECMAScript syntax) into `out`. Returns "" on success, else why it is
/// invalid. Never throws except std::bad_alloc.
std::string compile_pattern(std::string_view pattern, std::regex& out);

} // namespace sluice::expr
