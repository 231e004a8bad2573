#include "pipeline/expr/lexer.hpp"

#include "pipeline/text_chars.hpp"
#include "pipeline/units.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>

namespace sluice::expr {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
    return is_alpha(c) || is_digit(c);
}

std::string hex_byte(char c) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    auto u = static_cast<unsigned char>(c);
    return {kDigits[u >> 4], kDigits[u & 0xF]};
}

std::optional<Tok> single_char_token(char c) {
    switch (c) {
    case '(':
        return Tok::lparen;
    case ')':
        return Tok::rparen;
    case '[':
        return Tok::lbracket;
    case ']':
        return Tok::rbracket;
    case ',':
        return Tok::comma;
    case '?':
        return Tok::question;
    case ':':
        return Tok::colon;
    case '+':
        return Tok::plus;
    case '-':
        return Tok::minus;
    case '*':
        return Tok::star;
    case '/':
        return Tok::slash;
    case '%':
        return Tok::percent;
    default:
        return std::nullopt;
    }
}

Tok keyword(std::string_view word) {
    if (word == "true") {
        return Tok::kw_true;
    }
    if (word == "false") {
        return Tok::kw_false;
    }
    if (word == "null") {
        return Tok::kw_null;
    }
    if (word == "and") {
        return Tok::kw_and;
    }
    if (word == "or") {
        return Tok::kw_or;
    }
    if (word == "not") {
        return Tok::kw_not;
    }
    if (word == "in") {
        return Tok::kw_in;
    }
    return Tok::name;
}

} // namespace

Token Lexer::error(std::uint32_t at, std::string message) {
    Token t;
    t.kind = Tok::error;
    t.offset = start_;
    t.length = pos_ - start_;
    t.error_at = at;
    t.text = std::move(message);
    return t;
}

Token Lexer::next() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
        ++pos_;
    }
    start_ = pos_;
    if (pos_ >= text_.size()) {
        Token t;
        t.offset = pos_;
        return t;
    }
    char c = text_[pos_];
    if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
        return lex_number();
    }
    if (c == '"' || c == '\'') {
        return lex_string();
    }
    if (is_alpha(c)) {
        return lex_name();
    }
    return lex_symbol();
}

Token Lexer::lex_number() {
    bool is_float = false;
    auto digits = [this] {
        while (pos_ < text_.size() && is_digit(text_[pos_])) {
            ++pos_;
        }
    };
    digits();
    if (pos_ < text_.size() && text_[pos_] == '.') {
        is_float = true;
        ++pos_;
        digits();
    }
    std::uint32_t number_end = pos_;
    // An exponent only when digits follow, so that "2m" stays a duration.
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        std::uint32_t p = pos_ + 1;
        if (p < text_.size() && (text_[p] == '+' || text_[p] == '-')) {
            ++p;
        }
        if (p < text_.size() && is_digit(text_[p])) {
            is_float = true;
            pos_ = p;
            digits();
            number_end = pos_;
        }
    }
    while (pos_ < text_.size() && is_name_char(text_[pos_])) {
        ++pos_;
    }
    std::string_view all = text_.substr(start_, pos_ - start_);
    std::string_view number = text_.substr(start_, number_end - start_);
    Token t;
    t.offset = start_;
    t.length = pos_ - start_;
    if (number_end != pos_) {
        return duration(all, number_end);
    }
    const char* b = number.data();
    const char* e = b + number.size();
    if (!is_float) {
        auto [end, ec] = std::from_chars(b, e, t.integer);
        if (ec == std::errc{} && end == e) {
            t.kind = Tok::integer;
            return t;
        }
        // Too large for int64: fall through and read it as a double.
    }
    auto [end, ec] = std::from_chars(b, e, t.number);
    if (ec != std::errc{} || end != e || !std::isfinite(t.number)) {
        return error(start_, "number '" + std::string(number) + "' is out of range");
    }
    t.kind = Tok::number;
    return t;
}

/// A number with a unit suffix, `text`, whose unit starts at `unit_start`.
Token Lexer::duration(std::string_view text, std::uint32_t unit_start) {
    auto ns = parse_duration(text);
    if (!ns) {
        std::string unit(text.substr(unit_start - start_));
        if (parse_duration("1" + unit)) {
            return error(start_, "duration '" + std::string(text) + "' is too large");
        }
        return error(unit_start, "unknown unit '" + unit +
                                     "' after a number, expected ns, us, ms, s, m, h or d");
    }
    Token t;
    t.kind = Tok::duration;
    t.offset = start_;
    t.length = pos_ - start_;
    t.integer = *ns;
    return t;
}

bool Lexer::decode_escape(std::string& out, std::uint32_t& error_at, std::string& message) {
    // pos_ is at the character after the backslash.
    error_at = pos_ - 1;
    char c = text_[pos_++];
    switch (c) {
    case 'n':
        out.push_back('\n');
        return true;
    case 't':
        out.push_back('\t');
        return true;
    case 'r':
        out.push_back('\r');
        return true;
    case '0':
        out.push_back('\0');
        return true;
    case '\\':
    case '"':
    case '\'':
    case '/':
        out.push_back(c);
        return true;
    case 'x':
    case 'u': {
        std::uint32_t n = c == 'x' ? 2 : 4;
        std::uint32_t cp = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            int h = pos_ < text_.size() ? hex_digit(text_[pos_]) : -1;
            if (h < 0) {
                message = std::string("bad escape '\\") + c + "', expected " + std::to_string(n) +
                          " hex digits";
                return false;
            }
            cp = cp * 16 + static_cast<std::uint32_t>(h);
            ++pos_;
        }
        if (c == 'x') {
            out.push_back(static_cast<char>(cp));
        } else {
            append_utf8(out, cp);
        }
        return true;
    }
    default:
        message = "unknown escape '\\" + std::string(1, c) +
                  "', expected one of \\n \\t \\r \\0 \\\\ \\\" \\' \\xHH \\uHHHH";
        return false;
    }
}

Token Lexer::lex_string() {
    char quote = text_[pos_++];
    Token t;
    t.kind = Tok::string;
    t.offset = start_;
    while (true) {
        if (pos_ >= text_.size()) {
            return error(start_, std::string("unterminated string, expected a closing ") +
                                     (quote == '"' ? "'\"'" : "\"'\""));
        }
        char c = text_[pos_++];
        if (c == quote) {
            break;
        }
        if (c == '\\') {
            if (pos_ >= text_.size()) {
                continue; // reported as unterminated on the next turn
            }
            std::uint32_t at = 0;
            std::string message;
            if (!decode_escape(t.text, at, message)) {
                return error(at, std::move(message));
            }
            continue;
        }
        t.text.push_back(c);
    }
    t.length = pos_ - start_;
    return t;
}

Token Lexer::lex_name() {
    while (pos_ < text_.size()) {
        if (is_name_char(text_[pos_])) {
            ++pos_;
        } else if (text_[pos_] == '.' && pos_ + 1 < text_.size() && is_name_char(text_[pos_ + 1])) {
            // Nested JSON flattens to dotted names, so "room.temp" is one field name.
            pos_ += 2;
        } else {
            break;
        }
    }
    Token t;
    t.offset = start_;
    t.length = pos_ - start_;
    t.text = std::string(text_.substr(start_, t.length));
    t.kind = keyword(t.text);
    return t;
}

Token Lexer::lex_symbol() {
    char c = text_[pos_++];
    char n = pos_ < text_.size() ? text_[pos_] : '\0';
    Token t;
    t.offset = start_;
    t.length = 1;
    if (auto single = single_char_token(c)) {
        t.kind = *single;
        return t;
    }
    // Two-character operators, and the one-character ones that share their first character.
    struct Pair {
        char first;
        Tok alone;
        Tok with_equals_or_double;
        char second;
    };
    static constexpr Pair kPairs[] = {
        {'!', Tok::bang, Tok::ne, '='},       {'<', Tok::lt, Tok::le, '='},
        {'>', Tok::gt, Tok::ge, '='},         {'=', Tok::error, Tok::eq, '='},
        {'&', Tok::error, Tok::and_and, '&'}, {'|', Tok::error, Tok::or_or, '|'},
    };
    for (const auto& pair : kPairs) {
        if (pair.first != c) {
            continue;
        }
        if (n == pair.second) {
            ++pos_;
            t.kind = pair.with_equals_or_double;
            t.length = 2;
            return t;
        }
        if (pair.alone != Tok::error) {
            t.kind = pair.alone;
            return t;
        }
        std::string expected = c == '=' ? "'==' to compare" : "'" + std::string(2, c) + "'";
        return error(start_, "unexpected '" + std::string(1, c) + "', expected " + expected);
    }
    std::string shown =
        (c >= 0x20 && c < 0x7F) ? "'" + std::string(1, c) + "'" : "byte 0x" + hex_byte(c);
    return error(start_, "unexpected character " + shown + ", expected an operand or operator");
}

std::string describe(const Token& token, std::string_view text) {
    switch (token.kind) {
    case Tok::end:
        return "end of expression";
    case Tok::string:
        return "string";
    case Tok::integer:
    case Tok::number:
    case Tok::duration:
        return "number '" + std::string(text.substr(token.offset, token.length)) + "'";
    default:
        return "'" + std::string(text.substr(token.offset, token.length)) + "'";
    }
}

} // namespace sluice::expr
