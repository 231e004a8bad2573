#pragma once
// Problems found while loading and building a pipeline, each with the place it was found.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// A place in a configuration file; line and column are 1-based, 0 means unknown.
struct Position {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    /// The same place moved `columns` to the right (for a column inside a scalar).
    Position shifted(std::uint32_t columns) const { return {line, column + columns}; }
};

/// Where a scalar's text stands in the file, so that an offset into the text maps back to a
/// line and column: a text on one line (plain or quoted), or a literal block (`|`), whose
/// lines each start at the block's indentation on consecutive lines of the file.
struct TextOrigin {
    TextOrigin(Position first = {}, bool literal = false) : start(first), literal_block(literal) {}
    Position start; // of the text's first character
    bool literal_block = false;

    Position at(std::string_view text, std::size_t offset) const {
        if (!literal_block) {
            return start.shifted(static_cast<std::uint32_t>(offset));
        }
        offset = std::min(offset, text.size());
        auto newlines = std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n');
        auto line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
        auto column = line_start == std::string_view::npos || newlines == 0
                          ? offset
                          : offset - line_start - 1;
        return {start.line + static_cast<std::uint32_t>(newlines),
                start.column + static_cast<std::uint32_t>(column)};
    }
};

enum class Severity { error, warning };

struct Diagnostic {
    Severity severity;
    Position position;
    std::string message;
};

/// Collects every problem in a file instead of stopping at the first, as `sluice check` reports
/// them all in one run. Never throws except std::bad_alloc.
class Diagnostics {
public:
    explicit Diagnostics(std::string file = {}) : file_(std::move(file)) {}

    void error(Position where, std::string message);
    void warning(Position where, std::string message);

    bool has_errors() const { return errors_ > 0; }
    std::size_t error_count() const { return errors_; }
    const std::vector<Diagnostic>& all() const { return items_; }
    const std::string& file() const { return file_; }

    /// "FILE:LINE:COL: error: message" for one diagnostic.
    std::string format(const Diagnostic& d) const;
    /// Every diagnostic, one per line, sorted by position.
    std::string format_all() const;

private:
    std::string file_;
    std::vector<Diagnostic> items_;
    std::size_t errors_ = 0;
};

} // namespace sluice
