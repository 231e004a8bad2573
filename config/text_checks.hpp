#pragma once
// Checks of a configuration file's raw bytes before any YAML parsing: size, binary content, and
// the position of a tab in indentation (YAML forbids them; yaml-cpp's own message is obscure).

#include "pipeline/diagnostics.hpp"

#include <optional>
#include <string_view>

namespace sluice {

/// Reports one error and returns false when `text` is larger than the file size limit, or is
/// not UTF-8 text (a NUL or other control byte, or an invalid UTF-8 sequence).
bool check_text(std::string_view text, Diagnostics& diagnostics);

/// The position (1-based) of the first tab that stands in a line's indentation on lines
/// `first_line` to `last_line`, or nullopt.
std::optional<Position> find_indentation_tab(std::string_view text, std::uint32_t first_line,
                                             std::uint32_t last_line);

/// The 1-based line and column of byte `offset` in `text` (columns count bytes).
Position position_of(std::string_view text, std::size_t offset);

} // namespace sluice
