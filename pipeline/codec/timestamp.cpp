#include "pipeline/codec/timestamp.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sluice {

std::optional<Nanos> epoch_to_nanos(std::int64_t value) {
    // |value| below the thresholds is tested without negating INT64_MIN.
    auto below = [value](std::int64_t limit) { return value < limit && value > -limit; };
    std::int64_t scale = 1;
    if (below(100'000'000'000)) {
        scale = 1'000'000'000;
    } else if (below(100'000'000'000'000)) {
        scale = 1'000'000;
    } else if (below(100'000'000'000'000'000)) {
        scale = 1'000;
    }
    Nanos result = 0;
    if (__builtin_mul_overflow(value, scale, &result)) {
        return std::nullopt;
    }
    return result;
}

namespace {

/// A decimal number: `digits` times 10^`exponent`. Room for the 19 digits of an int64's
/// whole part and the 10 fraction digits that decide its nanoseconds and their rounding.
struct Decimal {
    char digits[32];
    int count = 0;
    int exponent = 0;
    bool negative = false;
};

/// A finite double as the shortest decimal that reads back as it (no leading zeros but for the
/// value 0).
Decimal shortest_decimal(double value) {
    // Scientific notation keeps the text short whatever the magnitude: "-1.73230000025e+09".
    char text[32];
    auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::scientific).ptr;
    Decimal out;
    const char* p = text;
    out.negative = *p == '-';
    p += out.negative ? 1 : 0;
    for (; *p != 'e'; ++p) {
        if (*p != '.') {
            out.digits[out.count++] = *p;
        }
    }
    int exponent = 0;
    std::from_chars(p + (p[1] == '+' ? 2 : 1), end, exponent);
    // d.ddd x 10^e is the integer dddd x 10^(e - count + 1).
    out.exponent = exponent - out.count + 1;
    return out;
}

/// The nanoseconds of `decimal` read in the unit whose nanoseconds have `unit_digits` digits
/// (9: seconds ... 0: nanoseconds), exactly: the digits are scaled, never multiplied in binary.
/// nullopt when the result does not fit in Nanos.
std::optional<Nanos> decimal_to_nanos(const Decimal& decimal, int unit_digits) {
    int shift = decimal.exponent + unit_digits;
    int whole = shift < 0 ? decimal.count + shift : decimal.count;
    std::uint64_t ns = 0;
    for (int i = 0; i < whole; ++i) {
        auto digit = static_cast<std::uint64_t>(decimal.digits[i] - '0');
        if (__builtin_mul_overflow(ns, std::uint64_t{10}, &ns) ||
            __builtin_add_overflow(ns, digit, &ns)) {
            return std::nullopt;
        }
    }
    for (int i = 0; i < shift; ++i) {
        if (__builtin_mul_overflow(ns, std::uint64_t{10}, &ns)) {
            return std::nullopt;
        }
    }
    // Half a nanosecond or more rounds away from zero, as std::round does.
    if (whole >= 0 && whole < decimal.count && decimal.digits[whole] >= '5') {
        ++ns;
    }
    constexpr auto kMaxMagnitude = std::uint64_t{1} << 63; // of INT64_MIN
    if (ns > kMaxMagnitude - (decimal.negative ? 0 : 1)) {
        return std::nullopt;
    }
    return decimal.negative ? static_cast<Nanos>(0 - ns) : static_cast<Nanos>(ns);
}

/// How many digits the nanoseconds of the unit an epoch of this whole-part magnitude is read
/// in have: the thresholds of epoch_to_nanos(std::int64_t).
int unit_digits_of(std::uint64_t whole) {
    return whole < 100'000'000'000           ? 9
           : whole < 100'000'000'000'000     ? 6
           : whole < 100'000'000'000'000'000 ? 3
                                             : 0;
}

/// "-1732300000.25" as a Decimal and its whole part; nullopt unless the text is an optional
/// '-', one or more digits, '.', and one or more digits. The whole part must fit in 19 digits.
std::optional<Decimal> parse_decimal_epoch(std::string_view text, std::uint64_t& whole) {
    Decimal decimal;
    decimal.negative = text.starts_with('-');
    text.remove_prefix(decimal.negative ? 1 : 0);
    auto point = text.find('.');
    if (point == std::string_view::npos || point == 0 || point + 1 == text.size()) {
        return std::nullopt;
    }
    auto integer = text.substr(0, point);
    auto fraction = text.substr(point + 1);
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!std::all_of(integer.begin(), integer.end(), is_digit) ||
        !std::all_of(fraction.begin(), fraction.end(), is_digit)) {
        return std::nullopt;
    }
    integer.remove_prefix(std::min(integer.find_first_not_of('0'), integer.size()));
    auto parsed = std::from_chars(integer.data(), integer.data() + integer.size(), whole);
    if (integer.empty()) {
        whole = 0;
    } else if (parsed.ec != std::errc{} || integer.size() > 19) {
        return std::nullopt; // past any Nanos in every unit
    }
    // Digits past the tenth of the fraction never reach a nanosecond or its rounding.
    fraction = fraction.substr(0, 10);
    for (auto digits : {integer, fraction}) {
        for (char c : digits) {
            decimal.digits[decimal.count++] = c;
        }
    }
    decimal.exponent = -static_cast<int>(fraction.size());
    return decimal;
}

} // namespace

std::optional<Nanos> epoch_to_nanos(double value) {
    if (!std::isfinite(value)) {
        return std::nullopt;
    }
    // One multiply in binary (value * 1e9) rounds to the double nearest the product, which at
    // epoch magnitudes is hundreds of nanoseconds off: 1732300000.25 s became ...249999872 ns.
    // Scaling the number's decimal digits instead is exact, and gives the nanoseconds of the
    // number as it was written (1732300000.123 s is ...123000000 ns).
    double magnitude = std::fabs(value);
    int unit_digits = magnitude < 1e11 ? 9 : magnitude < 1e14 ? 6 : magnitude < 1e17 ? 3 : 0;
    return decimal_to_nanos(shortest_decimal(value), unit_digits);
}

std::optional<Nanos> epoch_text_to_nanos(std::string_view text) {
    std::int64_t number = 0;
    auto result = std::from_chars(text.data(), text.data() + text.size(), number);
    if (result.ec == std::errc{} && result.ptr == text.data() + text.size() && !text.empty()) {
        return epoch_to_nanos(number);
    }
    // A fraction is read from its decimal digits, as a double's are: no binary rounding.
    std::uint64_t whole = 0;
    auto decimal = parse_decimal_epoch(text, whole);
    if (!decimal) {
        return std::nullopt;
    }
    return decimal_to_nanos(*decimal, unit_digits_of(whole));
}

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    auto year_of_era = static_cast<unsigned>(year - era * 400);
    unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

namespace {

/// Reads exactly `width` digits at `p`, advancing it.
bool digits(const char*& p, const char* end, int width, unsigned& out) {
    if (end - p < width) {
        return false;
    }
    out = 0;
    for (int i = 0; i < width; ++i, ++p) {
        if (*p < '0' || *p > '9') {
            return false;
        }
        out = out * 10 + static_cast<unsigned>(*p - '0');
    }
    return true;
}

unsigned days_in_month(unsigned year, unsigned month) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

bool expect(const char*& p, const char* end, char c) {
    if (p < end && *p == c) {
        ++p;
        return true;
    }
    return false;
}

/// Reads "Z", "+HH:MM", "-HH:MM" or nothing, as seconds east of UTC.
bool parse_offset(const char*& p, const char* end, std::int64_t& seconds) {
    seconds = 0;
    if (p == end) {
        return true;
    }
    if (*p == 'Z' || *p == 'z') {
        ++p;
        return true;
    }
    if (*p != '+' && *p != '-') {
        return false;
    }
    int sign = *p++ == '-' ? -1 : 1;
    unsigned hours = 0;
    unsigned minutes = 0;
    if (!digits(p, end, 2, hours) || !expect(p, end, ':') || !digits(p, end, 2, minutes) ||
        hours > 23 || minutes > 59) {
        return false;
    }
    seconds = sign * static_cast<std::int64_t>(hours * 3600 + minutes * 60);
    return true;
}

} // namespace

std::optional<Nanos> parse_rfc3339(std::string_view text) {
    const char* p = text.data();
    const char* end = p + text.size();
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(p, end, 4, year) || !expect(p, end, '-') || !digits(p, end, 2, month) ||
        !expect(p, end, '-') || !digits(p, end, 2, day) || p == end ||
        (*p != 'T' && *p != 't' && *p != ' ')) {
        return std::nullopt;
    }
    ++p;
    if (!digits(p, end, 2, hour) || !expect(p, end, ':') || !digits(p, end, 2, minute) ||
        !expect(p, end, ':') || !digits(p, end, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
        minute > 59 || second > 60) {
        return std::nullopt;
    }
    std::int64_t fraction = 0;
    if (expect(p, end, '.')) {
        int count = 0;
        for (; p < end && *p >= '0' && *p <= '9'; ++p, ++count) {
            if (count < 9) {
                fraction = fraction * 10 + (*p - '0');
            }
        }
        if (count == 0) {
            return std::nullopt;
        }
        for (; count < 9; ++count) {
            fraction *= 10;
        }
    }
    std::int64_t offset = 0;
    if (!parse_offset(p, end, offset) || p != end) {
        return std::nullopt;
    }
    std::int64_t seconds =
        days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
    Nanos ns = 0;
    if (__builtin_mul_overflow(seconds, std::int64_t{1'000'000'000}, &ns) ||
        __builtin_add_overflow(ns, fraction, &ns)) {
        return std::nullopt;
    }
    return ns;
}

std::optional<Nanos> timestamp_from_value(Value value) {
    if (value.is_int()) {
        return epoch_to_nanos(value.as_int());
    }
    if (value.is_double()) {
        return epoch_to_nanos(value.as_double());
    }
    if (!value.is_string()) {
        return std::nullopt;
    }
    auto text = value.as_string();
    if (auto epoch = epoch_text_to_nanos(text)) {
        return epoch;
    }
    return parse_rfc3339(text);
}

} // namespace sluice
