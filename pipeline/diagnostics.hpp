#pragma once
// Problems found while loading and building a pipeline, each with the place it was found.

#include <algorithm>
#include <cstdint>
#include <span>
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
/// line and column. A text written as it is on one line counts columns from its start; any
/// other (a block, a folded or quoted text over several lines, escapes) carries the place of
/// each of its bytes, and of its end.
struct TextOrigin {
    TextOrigin(Position first = {}) : start(first) {} // NOLINT: implicit by design
    /// From the place of each byte and of the end (`each` is not empty).
    explicit TextOrigin(std::span<const Position> each) : start(each.front()), places(each) {}

    Position start; // of the text's first byte
    /// One per byte and one for the end; empty for a text written as it is on one line. Owned
    /// by the ConfigNode the text came from, which outlives every compile that uses it.
    std::span<const Position> places;

    bool spans_lines() const {
        return !places.empty() && places.front().line != places.back().line;
    }
    Position at(std::size_t offset) const {
        if (places.empty()) {
            return start.shifted(static_cast<std::uint32_t>(offset));
        }
        return places[std::min(offset, places.size() - 1)];
    }
    /// The origin of the text from `offset` on (a part of it compiled on its own).
    TextOrigin from(std::size_t offset) const {
        if (places.empty()) {
            return at(offset);
        }
        return TextOrigin(places.subspan(std::min(offset, places.size() - 1)));
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
    /// format_all() without the newline after the last line: the text of one message that its
    /// caller ends (a reload's reply, an error with a prefix).
    std::string format_message() const;

private:
    std::string file_;
    std::vector<Diagnostic> items_;
    std::size_t errors_ = 0;
};

} // namespace sluice
