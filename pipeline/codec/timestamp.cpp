#include "pipeline/codec/timestamp.hpp"

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

/// A finite double as the shortest decimal that reads back as it: `digits` (no leading zeros
/// but for the value 0) times 10^`exponent`.
struct Decimal {
    char digits[20];
    int count = 0;
    int exponent = 0;
    bool negative = false;
};

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
    auto decimal = shortest_decimal(value);
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
    std::int64_t number = 0;
    auto result = std::from_chars(text.data(), text.data() + text.size(), number);
    if (result.ec == std::errc{} && result.ptr == text.data() + text.size() && !text.empty()) {
        return epoch_to_nanos(number);
    }
    return parse_rfc3339(text);
}

} // namespace sluice
