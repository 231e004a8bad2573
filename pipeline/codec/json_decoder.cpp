#include "pipeline/codec/json_decoder.hpp"

#include "pipeline/text_chars.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>

namespace sluice {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// The bytes a JSON string holds as they are: printable ASCII other than '"' and '\\'.
constexpr auto kPlain = [] {
    std::array<bool, 256> table{};
    for (int c = 0x20; c < 0x80; ++c) {
        table[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    }
    return table;
}();

/// The eight ASCII digits at `p` as a number, or false when any of the eight is not a digit:
/// one load and three multiplications instead of eight steps (the SWAR method simdjson uses).
bool eight_digits(const char* p, std::uint64_t& value) {
    static_assert(std::endian::native == std::endian::little, "the digit lanes assume it");
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, p, 8);
    if (((chunk & 0xF0F0F0F0F0F0F0F0) |
         (((chunk + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) != 0x3333333333333333) {
        return false;
    }
    chunk = ((chunk & 0x0F0F0F0F0F0F0F0F) * 2561) >> 8;
    chunk = ((chunk & 0x00FF00FF00FF00FF) * 6553601) >> 16;
    value = ((chunk & 0x0000FFFF0000FFFF) * 42949672960001) >> 32;
    return true;
}

} // namespace

DecodeStatus JsonDecoder::decode(std::string_view frame, Event& out, std::string& error) {
    begin_ = p_ = frame.data();
    end_ = p_ + frame.size();
    out_ = &out;
    error_ = &error;
    leaf_ = 0;
    symbols_.begin_frame();
    skip_space();
    if (p_ == end_) {
        return DecodeStatus::skip;
    }
    if (*p_ != '{') {
        fail("not a JSON object");
        return DecodeStatus::error;
    }
    if (!parse_object(1)) {
        return DecodeStatus::error;
    }
    skip_space();
    if (p_ != end_) {
        fail("unexpected characters after the object");
        return DecodeStatus::error;
    }
    return DecodeStatus::event;
}

void JsonDecoder::skip_space() {
    const char* p = p_;
    while (p < end_ && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        ++p;
    }
    p_ = p;
}

bool JsonDecoder::fail(const char* what) {
    error_->assign(what);
    error_->append(" at byte ");
    error_->append(std::to_string(p_ - begin_));
    return false;
}

bool JsonDecoder::parse_object(int depth) {
    ++p_; // '{'
    skip_space();
    if (p_ < end_ && *p_ == '}') {
        ++p_;
        return true;
    }
    // Nested members are named prefix.key; top-level members are named by their key alone.
    auto prefix = name_.size();
    for (;;) {
        if (p_ >= end_ || *p_ != '"') {
            return fail("expected a string key");
        }
        // Streams repeat one shape: a top-level key spelled as in the previous frame is
        // recognised by its bytes, with no unescaping and no symbol lookup.
        SymbolCache::Found known{};
        auto expected = depth == 1 ? take_expected_key(known) : std::string_view{};
        if (!expected.empty()) {
            if (!parse_member(expected, depth, &known)) {
                return false;
            }
        } else {
            ++p_;
            std::string_view key;
            if (!parse_string(key, key_)) {
                return false;
            }
            skip_space();
            if (p_ >= end_ || *p_ != ':') {
                return fail("expected ':'");
            }
            ++p_;
            skip_space();
            std::string_view name = key;
            if (depth > 1) {
                name_.resize(prefix);
                name_.push_back('.');
                name_.append(key);
                name = name_;
            }
            if (!parse_member(name, depth, nullptr)) {
                return false;
            }
        }
        skip_space();
        if (p_ < end_ && *p_ == ',') {
            ++p_;
            skip_space();
            continue;
        }
        if (p_ < end_ && *p_ == '}') {
            ++p_;
            return true;
        }
        return fail("expected ',' or '}'");
    }
}

bool JsonDecoder::parse_array(int depth) {
    ++p_; // '['
    skip_space();
    if (p_ < end_ && *p_ == ']') {
        ++p_;
        return true;
    }
    auto prefix = name_.size();
    for (std::uint32_t index = 0;; ++index) {
        char digits[12];
        auto result = std::to_chars(digits, digits + sizeof digits, index);
        name_.resize(prefix);
        name_.push_back('.');
        name_.append(digits, static_cast<std::size_t>(result.ptr - digits));
        if (!parse_member(name_, depth, nullptr)) {
            return false;
        }
        skip_space();
        if (p_ < end_ && *p_ == ',') {
            ++p_;
            skip_space();
            continue;
        }
        if (p_ < end_ && *p_ == ']') {
            ++p_;
            return true;
        }
        return fail("expected ',' or ']'");
    }
}

// Gives the symbol through a reference, not an optional: GCC assembles a returned
// optional<Found> from byte stores and reads it back whole, which stalls store forwarding on
// every key.
std::string_view JsonDecoder::take_expected_key(SymbolCache::Found& found) {
    auto name = symbols_.expected(leaf_);
    // p_ is at the opening quote; the key matches when `"name":` follows byte for byte.
    if (name.empty() || static_cast<std::size_t>(end_ - p_) < name.size() + 3 ||
        p_[name.size() + 1] != '"' || p_[name.size() + 2] != ':' ||
        !SymbolCache::same(name, {p_ + 1, name.size()})) {
        return {};
    }
    p_ += name.size() + 3;
    skip_space();
    found = symbols_.hit(leaf_);
    return name;
}

bool JsonDecoder::parse_member(std::string_view name, int depth, const SymbolCache::Found* known) {
    if (p_ >= end_) {
        return fail("expected a value");
    }
    if (*p_ == '{' || *p_ == '[') {
        if (depth >= kMaxDepth) {
            return fail("objects and arrays nested more than 32 deep");
        }
        if (name.data() != name_.data()) {
            name_.assign(name);
        }
        return *p_ == '{' ? parse_object(depth + 1) : parse_array(depth + 1);
    }
    Value value;
    if (!parse_scalar(value)) {
        return false;
    }
    if (known) {
        ++leaf_;
        append_field(*known, value);
        return true;
    }
    return set_field(name, value);
}

bool JsonDecoder::set_field(std::string_view name, Value value) {
    auto found = symbols_.lookup_fresh(leaf_++, name);
    if (!found) {
        return fail("too many distinct field names");
    }
    append_field(*found, value);
    return true;
}

void JsonDecoder::append_field(SymbolCache::Found found, Value value) {
    // A frame shaped like the previous one has no repeated key: append without searching.
    if (found.fresh) {
        out_->append(found.symbol, value);
    } else {
        out_->set(found.symbol, value);
    }
}

bool JsonDecoder::parse_scalar(Value& value) {
    switch (*p_) {
    case '"': {
        ++p_;
        std::string_view text;
        if (!parse_string(text, scratch_)) {
            return false;
        }
        value = Value::string(text);
        return true;
    }
    case 't':
        value = Value::boolean(true);
        return parse_literal("true");
    case 'f':
        value = Value::boolean(false);
        return parse_literal("false");
    case 'n':
        value = Value::null();
        return parse_literal("null");
    default:
        return parse_number(value);
    }
}

bool JsonDecoder::parse_literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
        return fail("unexpected character");
    }
    p_ += word.size();
    return true;
}

bool JsonDecoder::parse_number(Value& value) {
    const char* start = p_;
    bool negative = *p_ == '-';
    if (negative) {
        ++p_;
    }
    if (p_ >= end_ || !is_digit(*p_)) {
        return fail(negative ? "expected a digit" : "unexpected character");
    }
    // Up to 19 significant digits are gathered in `mantissa`; the value is
    // mantissa * 10^exponent while `exact` holds. A local cursor keeps the loops in registers.
    std::uint64_t mantissa = 0;
    int digits = 0;
    int exponent = 0;
    bool exact = true;
    const char* p = p_;
    const char* end = end_;
    if (*p == '0') {
        ++p;
    } else {
        // 19 digits always fit in uint64; digits past them only scale the value.
        const char* first = p;
        const char* limit = end - p > 19 ? p + 19 : end;
        // Timestamps and counters are long: eight digits at a time while they fit.
        for (std::uint64_t eight = 0; limit - p >= 8 && eight_digits(p, eight); p += 8) {
            mantissa = mantissa * 100'000'000 + eight;
        }
        for (; p < limit && is_digit(*p); ++p) {
            mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
        }
        digits = static_cast<int>(p - first);
        for (; p < end && is_digit(*p); ++p) {
            ++exponent;
            exact = false;
        }
    }
    bool is_double = false;
    if (p < end && *p == '.') {
        ++p;
        if (p >= end || !is_digit(*p)) {
            p_ = p;
            return fail("expected a digit after '.'");
        }
        for (; p < end && is_digit(*p); ++p) {
            if (digits < 19) {
                mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
                digits += mantissa != 0 ? 1 : 0;
                --exponent;
            } else {
                exact = false;
            }
        }
        is_double = true;
    }
    p_ = p;
    if (p < end && (*p == 'e' || *p == 'E')) {
        if (!parse_exponent(exponent)) {
            return false;
        }
        is_double = true;
    }
    constexpr auto kMaxPositive = static_cast<std::uint64_t>(INT64_MAX);
    if (!is_double && exact && mantissa <= kMaxPositive + (negative ? 1 : 0)) {
        // Negating in uint64 then converting keeps INT64_MIN representable.
        value = Value::integer(negative ? static_cast<std::int64_t>(0 - mantissa)
                                        : static_cast<std::int64_t>(mantissa));
        return true;
    }
    // Clinger's fast path: both operands are exact doubles, so one correctly rounded operation
    // gives the correctly rounded result.
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (exact && mantissa <= (std::uint64_t{1} << 53) && exponent >= -22 && exponent <= 22) {
        auto number = static_cast<double>(mantissa);
        number = exponent < 0 ? number / kPow10[-exponent] : number * kPow10[exponent];
        value = Value::number(negative ? -number : number);
        return true;
    }
    double number = 0;
    auto result = std::from_chars(start, p_, number);
    if (result.ec == std::errc::result_out_of_range && exponent + digits <= 0) {
        // Below 1 and out of range: too small for a double, which rounds it to zero as strtod
        // and every JSON parser do. Only a number too large for a double is an error.
        number = negative ? -0.0 : 0.0;
    } else if (result.ec != std::errc{}) {
        return fail("number out of range");
    }
    value = Value::number(number);
    return true;
}

bool JsonDecoder::parse_exponent(int& exponent) {
    ++p_; // 'e' or 'E'
    bool negative = p_ < end_ && *p_ == '-';
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) {
        ++p_;
    }
    if (p_ >= end_ || !is_digit(*p_)) {
        return fail("expected a digit in the exponent");
    }
    int value = 0;
    for (; p_ < end_ && is_digit(*p_); ++p_) {
        // Past any double's range; saturating keeps the arithmetic defined.
        value = std::min(value * 10 + (*p_ - '0'), 100000);
    }
    exponent += negative ? -value : value;
    return true;
}

bool JsonDecoder::parse_string(std::string_view& text, std::string& buffer) {
    // Most strings have no escapes: scan them and hand out a view of the frame. A local
    // cursor keeps the scan in registers.
    const char* start = p_;
    const char* p = start;
    for (;;) {
        while (p < end_ && kPlain[static_cast<unsigned char>(*p)]) {
            ++p;
        }
        if (p >= end_ || *p == '\\') {
            break;
        }
        p_ = p;
        auto c = static_cast<unsigned char>(*p);
        if (c == '"') {
            text = {start, static_cast<std::size_t>(p - start)};
            p_ = p + 1;
            return true;
        }
        if (c < 0x20) {
            return fail("control character in string");
        }
        auto n = utf8_sequence_length(p, end_);
        if (n == 0) {
            return fail("invalid UTF-8 in string");
        }
        p += n;
    }
    p_ = p;
    buffer.assign(start, static_cast<std::size_t>(p_ - start));
    while (p_ < end_) {
        auto c = static_cast<unsigned char>(*p_);
        if (c == '"') {
            text = buffer;
            ++p_;
            return true;
        }
        if (c == '\\') {
            ++p_;
            if (!parse_escape(buffer)) {
                return false;
            }
        } else if (c < 0x20) {
            return fail("control character in string");
        } else if (c < 0x80) {
            buffer.push_back(*p_++);
        } else if (auto n = utf8_sequence_length(p_, end_)) {
            buffer.append(p_, n);
            p_ += n;
        } else {
            return fail("invalid UTF-8 in string");
        }
    }
    return fail("unterminated string");
}

bool JsonDecoder::parse_escape(std::string& buffer) {
    if (p_ >= end_) {
        return fail("unterminated string");
    }
    char c = *p_++;
    switch (c) {
    case '"':
    case '\\':
    case '/':
        buffer.push_back(c);
        return true;
    case 'b':
        buffer.push_back('\b');
        return true;
    case 'f':
        buffer.push_back('\f');
        return true;
    case 'n':
        buffer.push_back('\n');
        return true;
    case 'r':
        buffer.push_back('\r');
        return true;
    case 't':
        buffer.push_back('\t');
        return true;
    case 'u':
        break;
    default:
        --p_;
        return fail("invalid escape");
    }
    auto hex4 = [this](std::uint32_t& cp) {
        if (end_ - p_ < 4) {
            return false;
        }
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            int digit = hex_digit(*p_++);
            if (digit < 0) {
                return false;
            }
            cp = cp << 4 | static_cast<std::uint32_t>(digit);
        }
        return true;
    };
    std::uint32_t cp = 0;
    if (!hex4(cp)) {
        return fail("invalid \\u escape");
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail("unpaired surrogate in \\u escape");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        std::uint32_t low = 0;
        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
            return fail("unpaired surrogate in \\u escape");
        }
        p_ += 2;
        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
            return fail("unpaired surrogate in \\u escape");
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(buffer, cp);
    return true;
}

} // namespace sluice
