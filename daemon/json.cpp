#include "daemon/json.hpp"

#include <charconv>
#include <cmath>

namespace sluice {

std::int64_t JsonValue::as_int() const {
    if (integral_) {
        return integer_;
    }
    if (!std::isfinite(number_) || std::fabs(number_) >= 9.2e18) {
        return 0;
    }
    return static_cast<std::int64_t>(number_);
}

std::uint64_t JsonValue::as_uint() const {
    if (integral_) {
        return unsigned_;
    }
    if (!std::isfinite(number_) || number_ < 0 || number_ >= 1.8e19) {
        return 0;
    }
    return static_cast<std::uint64_t>(number_);
}

const JsonValue* JsonValue::find(std::string_view key) const {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (keys_[i] == key) {
            return &items_[i];
        }
    }
    return nullptr;
}

/// Recursive descent over the text; every failure records what was expected and where.
class JsonParser {
public:
    JsonParser(std::string_view text, std::string& error, int max_depth)
        : text_(text), error_(error), max_depth_(max_depth) {}

    std::optional<JsonValue> document() {
        JsonValue value;
        skip_space();
        if (!parse_value(value, 0)) {
            return std::nullopt;
        }
        skip_space();
        if (at_ < text_.size()) {
            fail("end of input");
            return std::nullopt;
        }
        return value;
    }

private:
    bool parse_value(JsonValue& out, int depth) {
        if (at_ >= text_.size()) {
            return fail("a value");
        }
        switch (text_[at_]) {
        case '{':
            return parse_object(out, depth + 1);
        case '[':
            return parse_array(out, depth + 1);
        case '"':
            out.type_ = JsonValue::Type::string;
            return parse_string(out.string_);
        case 't':
            out.type_ = JsonValue::Type::boolean;
            out.boolean_ = true;
            return literal("true");
        case 'f':
            out.type_ = JsonValue::Type::boolean;
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return parse_number(out);
        }
    }

    bool parse_object(JsonValue& out, int depth) {
        if (depth > max_depth_) {
            return fail("less nesting");
        }
        out.type_ = JsonValue::Type::object;
        ++at_;
        skip_space();
        if (consume('}')) {
            return true;
        }
        while (true) {
            skip_space();
            if (at_ >= text_.size() || text_[at_] != '"') {
                return fail("a member name in double quotes");
            }
            out.keys_.emplace_back();
            if (!parse_string(out.keys_.back())) {
                return false;
            }
            skip_space();
            if (!consume(':')) {
                return fail("':'");
            }
            skip_space();
            out.items_.emplace_back();
            if (!parse_value(out.items_.back(), depth)) {
                return false;
            }
            skip_space();
            if (consume('}')) {
                return true;
            }
            if (!consume(',')) {
                return fail("',' or '}'");
            }
        }
    }

    bool parse_array(JsonValue& out, int depth) {
        if (depth > max_depth_) {
            return fail("less nesting");
        }
        out.type_ = JsonValue::Type::array;
        ++at_;
        skip_space();
        if (consume(']')) {
            return true;
        }
        while (true) {
            skip_space();
            out.items_.emplace_back();
            if (!parse_value(out.items_.back(), depth)) {
                return false;
            }
            skip_space();
            if (consume(']')) {
                return true;
            }
            if (!consume(',')) {
                return fail("',' or ']'");
            }
        }
    }

    bool parse_string(std::string& out) {
        ++at_; // the opening quote
        while (at_ < text_.size()) {
            auto c = static_cast<unsigned char>(text_[at_++]);
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return fail("no control characters inside a string");
            }
            if (c != '\\') {
                out.push_back(static_cast<char>(c));
                continue;
            }
            if (!parse_escape(out)) {
                return false;
            }
        }
        return fail("a closing '\"'");
    }

    bool parse_escape(std::string& out) {
        if (at_ >= text_.size()) {
            return fail("an escape character");
        }
        char c = text_[at_++];
        switch (c) {
        case '"':
        case '\\':
        case '/':
            out.push_back(c);
            return true;
        case 'b':
            out.push_back('\b');
            return true;
        case 'f':
            out.push_back('\f');
            return true;
        case 'n':
            out.push_back('\n');
            return true;
        case 'r':
            out.push_back('\r');
            return true;
        case 't':
            out.push_back('\t');
            return true;
        case 'u':
            return parse_unicode(out);
        default:
            return fail("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        }
    }

    bool hex4(std::uint32_t& out) {
        if (at_ + 4 > text_.size()) {
            return fail("four hex digits");
        }
        auto result = std::from_chars(text_.data() + at_, text_.data() + at_ + 4, out, 16);
        if (result.ec != std::errc() || result.ptr != text_.data() + at_ + 4) {
            return fail("four hex digits");
        }
        at_ += 4;
        return true;
    }

    bool parse_unicode(std::string& out) {
        std::uint32_t code = 0;
        if (!hex4(code)) {
            return false;
        }
        if (code >= 0xD800 && code < 0xDC00) {
            if (text_.substr(at_, 2) != "\\u") {
                return fail("a low surrogate after a high surrogate");
            }
            at_ += 2;
            std::uint32_t low = 0;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                return fail("a low surrogate after a high surrogate");
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code < 0xE000) {
            return fail("a high surrogate before a low surrogate");
        }
        append_utf8(out, code);
        return true;
    }

    static void append_utf8(std::string& out, std::uint32_t code) {
        auto put = [&](std::uint32_t byte) { out.push_back(static_cast<char>(byte)); };
        if (code < 0x80) {
            put(code);
        } else if (code < 0x800) {
            put(0xC0 | (code >> 6));
            put(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            put(0xE0 | (code >> 12));
            put(0x80 | ((code >> 6) & 0x3F));
            put(0x80 | (code & 0x3F));
        } else {
            put(0xF0 | (code >> 18));
            put(0x80 | ((code >> 12) & 0x3F));
            put(0x80 | ((code >> 6) & 0x3F));
            put(0x80 | (code & 0x3F));
        }
    }

    bool parse_number(JsonValue& out) {
        auto start = at_;
        consume('-');
        if (at_ >= text_.size() || !is_digit(text_[at_])) {
            return fail("a value");
        }
        if (!consume('0')) {
            skip_digits();
        }
        bool integral = true;
        if (consume('.')) {
            integral = false;
            if (!skip_digits()) {
                return fail("digits after '.'");
            }
        }
        if (consume('e') || consume('E')) {
            integral = false;
            if (!consume('+')) {
                consume('-');
            }
            if (!skip_digits()) {
                return fail("digits in the exponent");
            }
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + at_;
        out.type_ = JsonValue::Type::number;
        std::from_chars(first, last, out.number_);
        if (integral) {
            bool fits_signed = std::from_chars(first, last, out.integer_).ec == std::errc();
            bool fits_unsigned = std::from_chars(first, last, out.unsigned_).ec == std::errc();
            if (fits_signed && !fits_unsigned) {
                out.unsigned_ = 0; // negative
            }
            out.integral_ = fits_signed || fits_unsigned;
            if (!fits_signed) {
                out.integer_ = 0;
            }
        }
        return true;
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    bool skip_digits() {
        auto start = at_;
        while (at_ < text_.size() && is_digit(text_[at_])) {
            ++at_;
        }
        return at_ > start;
    }
    bool literal(std::string_view word) {
        if (text_.substr(at_, word.size()) != word) {
            return fail("a value");
        }
        at_ += word.size();
        return true;
    }
    bool consume(char c) {
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }
    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' ||
                                      text_[at_] == '\n' || text_[at_] == '\r')) {
            ++at_;
        }
    }
    bool fail(std::string_view expected) {
        error_ =
            "invalid JSON at byte " + std::to_string(at_) + ": expected " + std::string(expected);
        return false;
    }

    std::string_view text_;
    std::string& error_;
    int max_depth_;
    std::size_t at_ = 0;
};

std::optional<JsonValue> parse_json(std::string_view text, std::string& error, int max_depth) {
    return JsonParser(text, error, max_depth).document();
}

} // namespace sluice
