#include "config/scalar_places.hpp"

#include "pipeline/text_chars.hpp"

#include <cstdint>

namespace sluice {
namespace {

enum class Style { plain, single_quoted, double_quoted, literal, folded };

/// A cursor over the source that keeps the line and column of the byte it is at, and knows
/// the folding rules of the scalar's style well enough to pair each byte of the value with
/// the source byte it came from.
class Follower {
public:
    Follower(std::string_view source, std::size_t pos, Position first)
        : source_(source), i_(pos), at_(first) {}

    std::vector<Position> follow(std::string_view value) {
        style_ = style_at(source_[i_]);
        if (block()) {
            if (!start_block()) {
                return {};
            }
        } else if (style_ != Style::plain) {
            advance(1); // the opening quote
        }
        std::vector<Position> places;
        places.reserve(value.size() + 1);
        // Whether every byte so far stands where counting columns from the start would put it.
        bool trivial = !block();
        std::size_t k = 0;
        while (k < value.size()) {
            if (line_start_) {
                skip_indentation();
                continue;
            }
            if (i_ >= source_.size()) {
                return {};
            }
            char s = source_[i_];
            char c = value[k];
            if (style_ == Style::double_quoted && s == '\\') {
                std::size_t length = 0;
                int produced = escape(length);
                if (produced < 0 || k + static_cast<std::size_t>(produced) > value.size()) {
                    return {};
                }
                // Every byte an escape stands for is reported at its backslash.
                places.insert(places.end(), static_cast<std::size_t>(produced), at_);
                k += static_cast<std::size_t>(produced);
                advance(length);
                trivial = false;
                continue;
            }
            if (style_ == Style::single_quoted && s == '\'' && peek(1) == '\'' && c == '\'') {
                places.push_back(at_);
                ++k;
                advance(2);
                trivial = false;
                continue;
            }
            if (s == c) {
                places.push_back(at_);
                ++k;
                trivial = trivial && s != '\n';
                advance(1);
                continue;
            }
            trivial = false;
            if (s == '\r' || s == '\n') {
                // A line break the value keeps (written as CR LF), one folded into a space, or
                // one folding drops.
                if (c == '\n' || (c == ' ' && style_ != Style::literal)) {
                    places.push_back(at_);
                    ++k;
                }
                advance(s == '\r' && peek(1) == '\n' ? 2 : 1);
                continue;
            }
            if (s == ' ' || s == '\t') {
                advance(1); // indentation or trailing space, which folding strips
                continue;
            }
            return {};
        }
        places.push_back(at_);
        if (trivial) {
            return {};
        }
        return places;
    }

private:
    static Style style_at(char c) {
        switch (c) {
        case '|':
            return Style::literal;
        case '>':
            return Style::folded;
        case '"':
            return Style::double_quoted;
        case '\'':
            return Style::single_quoted;
        default:
            return Style::plain;
        }
    }

    bool block() const { return style_ == Style::literal || style_ == Style::folded; }

    char peek(std::size_t ahead) const {
        return i_ + ahead < source_.size() ? source_[i_ + ahead] : '\0';
    }

    void advance(std::size_t n) {
        for (; n > 0 && i_ < source_.size(); --n, ++i_) {
            if (source_[i_] == '\n') {
                ++at_.line;
                at_.column = 1;
                line_start_ = block();
            } else {
                ++at_.column;
            }
        }
    }

    /// Skips the header line (indicators, a comment) and finds the content's indentation: that
    /// of its first line with more than spaces on it.
    bool start_block() {
        auto end_of_header = source_.find('\n', i_);
        if (end_of_header == std::string_view::npos) {
            return false;
        }
        advance(end_of_header + 1 - i_);
        for (auto at = i_; at < source_.size();) {
            auto end = source_.find('\n', at);
            auto line = source_.substr(at, end == std::string_view::npos ? end : end - at);
            auto indent = line.find_first_not_of(' ');
            if (indent != std::string_view::npos && line[indent] != '\r') {
                indent_ = indent;
                return true;
            }
            if (end == std::string_view::npos) {
                break;
            }
            at = end + 1;
        }
        return false;
    }

    void skip_indentation() {
        for (std::size_t n = 0; n < indent_ && peek(0) == ' '; ++n) {
            advance(1);
        }
        line_start_ = false;
    }

    /// The escape at the cursor (a backslash): how many bytes of the value it stands for (0
    /// for a line continuation), with its own length in `length`; -1 for one this does not
    /// know.
    int escape(std::size_t& length) const {
        char kind = peek(1);
        switch (kind) {
        case '\n':
            length = 2;
            return 0;
        case '\r':
            length = peek(2) == '\n' ? 3 : 2;
            return 0;
        case 'N':
        case '_':
            length = 2;
            return 2; // U+0085, U+00A0
        case 'L':
        case 'P':
            length = 2;
            return 3; // U+2028, U+2029
        case 'x':
        case 'u':
        case 'U': {
            std::size_t digits = kind == 'x' ? 2 : kind == 'u' ? 4 : 8;
            std::uint32_t code_point = 0;
            for (std::size_t d = 0; d < digits; ++d) {
                int v = hex_digit(peek(2 + d));
                if (v < 0) {
                    return -1;
                }
                code_point = code_point * 16 + static_cast<std::uint32_t>(v);
            }
            length = 2 + digits;
            return utf8_length(code_point);
        }
        case '0':
        case 'a':
        case 'b':
        case 't':
        case '\t':
        case 'n':
        case 'v':
        case 'f':
        case 'r':
        case 'e':
        case ' ':
        case '"':
        case '/':
        case '\\':
            length = 2;
            return 1;
        default:
            return -1;
        }
    }

    std::string_view source_;
    std::size_t i_;
    Position at_;
    Style style_ = Style::plain;
    std::size_t indent_ = 0;
    bool line_start_ = false;
};

} // namespace

std::vector<Position> scalar_places(std::string_view source, std::size_t pos, Position first,
                                    std::string_view value) {
    if (pos >= source.size() || first.line == 0) {
        return {};
    }
    return Follower(source, pos, first).follow(value);
}

} // namespace sluice
