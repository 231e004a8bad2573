#include "pipeline/stages/testing/config_text.hpp"

#include <stdexcept>
#include <string>

namespace sluice::testing {
namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    ConfigNode top() {
        skip_space();
        ConfigNode node;
        if (peek() == '{') {
            node = value();
        } else {
            node = ConfigNode::make_mapping(here());
            entries(node, '\0');
        }
        skip_space();
        if (pos_ != text_.size()) {
            fail("unexpected text");
        }
        return node;
    }

private:
    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
    Position here() const { return {1, static_cast<std::uint32_t>(pos_ + 1)}; }
    void skip_space() {
        while (peek() == ' ' || peek() == '\t' || peek() == '\n') {
            ++pos_;
        }
    }
    [[noreturn]] void fail(const std::string& why) const {
        throw std::invalid_argument("config text column " + std::to_string(pos_ + 1) + ": " + why +
                                    " in: " + std::string(text_));
    }
    void expect(char c) {
        skip_space();
        if (peek() != c) {
            fail(std::string("expected '") + c + "'");
        }
        ++pos_;
    }

    /// Mapping entries up to (not including) `close`, or the end of text when close is '\0'.
    void entries(ConfigNode& map, char close) {
        skip_space();
        while (peek() != close) {
            auto key_at = here();
            auto key = key_text();
            expect(':');
            skip_space();
            map.set(std::move(key), value(), key_at);
            skip_space();
            if (peek() == ',') {
                ++pos_;
                skip_space();
            } else if (peek() != close) {
                fail("expected ',' between entries");
            }
        }
    }

    std::string key_text() {
        skip_space();
        if (peek() == '"' || peek() == '\'') {
            return quoted();
        }
        auto start = pos_;
        while (pos_ < text_.size() && peek() != ':') {
            if (peek() == ',' || peek() == '}' || peek() == '{') {
                fail("expected a key");
            }
            ++pos_;
        }
        return trimmed(start, pos_);
    }

    ConfigNode value() {
        skip_space();
        auto at = here();
        if (peek() == '{') {
            ++pos_;
            auto node = ConfigNode::make_mapping(at);
            entries(node, '}');
            ++pos_;
            return node;
        }
        if (peek() == '[') {
            ++pos_;
            auto node = ConfigNode::make_sequence(at);
            skip_space();
            while (peek() != ']') {
                node.push_back(value());
                skip_space();
                if (peek() == ',') {
                    ++pos_;
                } else if (peek() != ']') {
                    fail("expected ',' or ']'");
                }
                skip_space();
            }
            ++pos_;
            return node;
        }
        if (peek() == '"' || peek() == '\'') {
            return ConfigNode::make_scalar(quoted(), at, true);
        }
        return plain(at);
    }

    ConfigNode plain(Position at) {
        auto start = pos_;
        int depth = 0;
        while (pos_ < text_.size()) {
            char c = peek();
            if (depth == 0 && (c == ',' || c == ']' || c == '}')) {
                break;
            }
            if (c == '(' || c == '[') {
                ++depth;
            } else if ((c == ')' || c == ']') && depth > 0) {
                --depth;
            } else if (c == '"') {
                // A string literal inside an unquoted expression: skip to its end.
                ++pos_;
                while (pos_ < text_.size() && peek() != '"') {
                    pos_ += peek() == '\\' ? 2 : 1;
                }
            }
            ++pos_;
        }
        auto text = trimmed(start, std::min(pos_, text_.size()));
        if (text.empty() || text == "null" || text == "~") {
            return ConfigNode::make_null(at);
        }
        return ConfigNode::make_scalar(text, at);
    }

    std::string quoted() {
        char q = text_[pos_++];
        std::string out;
        for (;;) {
            if (pos_ >= text_.size()) {
                fail("unterminated quoted scalar");
            }
            char c = text_[pos_++];
            if (c == q) {
                if (q == '\'' && peek() == '\'') {
                    out += '\'';
                    ++pos_;
                    continue;
                }
                return out;
            }
            if (q == '"' && c == '\\' && pos_ < text_.size()) {
                c = text_[pos_++];
                out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
                continue;
            }
            out += c;
        }
    }

    std::string trimmed(std::size_t start, std::size_t end) const {
        auto s = text_.substr(start, end - start);
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
            s.remove_prefix(1);
        }
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
            s.remove_suffix(1);
        }
        return std::string(s);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

} // namespace

ConfigNode parse_config_text(std::string_view text) {
    return Parser(text).top();
}

} // namespace sluice::testing
