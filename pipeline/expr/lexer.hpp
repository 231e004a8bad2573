#pragma once
// Splits expression text into tokens.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::expr {

enum class Tok : std::uint8_t {
    end,
    error, // a malformed token; Token::text holds the message
    integer,
    number,
    duration, // an integer number of nanoseconds
    string,
    name,
    lparen,
    rparen,
    lbracket,
    rbracket,
    comma,
    question,
    colon,
    plus,
    minus,
    star,
    slash,
    percent,
    bang,
    and_and,
    or_or,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    kw_true,
    kw_false,
    kw_null,
    kw_and,
    kw_or,
    kw_not,
    kw_in,
};

struct Token {
    Tok kind = Tok::end;
    std::uint32_t offset = 0;   // first character in the text
    std::uint32_t length = 0;   // characters in the text
    std::int64_t integer = 0;   // integer and duration
    double number = 0;          // number
    std::string text;           // decoded string, name, or error message
    std::uint32_t error_at = 0; // for error tokens: where exactly the problem is
};

/// Produces the tokens of `text` one by one. The text must outlive the lexer.
class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}
    /// The next token; Tok::end (repeatedly) at the end, Tok::error for a malformed token.
    Token next();

private:
    Token lex_number();
    Token duration(std::string_view text, std::uint32_t unit_start);
    Token lex_string();
    Token lex_name();
    Token lex_symbol();
    Token error(std::uint32_t at, std::string message);
    bool decode_escape(std::string& out, std::uint32_t& error_at, std::string& message);

    std::string_view text_;
    std::uint32_t pos_ = 0;
    std::uint32_t start_ = 0;
};

/// How a token reads in a message: "')'", "'foo'", "end of expression", "string \"x\"".
std::string describe(const Token& token, std::string_view text);

} // namespace sluice::expr
