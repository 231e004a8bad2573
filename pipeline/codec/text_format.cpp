#include "pipeline/codec/text_format.hpp"

#include "pipeline/text_chars.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace sluice {

namespace {

/// "00" "01" ... "99": two digits per lookup.
constexpr auto kDigitPairs = [] {
    std::array<char, 200> pairs{};
    for (int i = 0; i < 100; ++i) {
        pairs[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
        pairs[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
    }
    return pairs;
}();

void write_pair(char* out, std::uint32_t n) {
    std::memcpy(out, &kDigitPairs[2 * n], 2);
}

/// Exactly eight digits of n < 10^8, leading zeros included.
void write_eight(char* out, std::uint32_t n) {
    auto high = n / 10000;
    auto low = n % 10000;
    write_pair(out, high / 100);
    write_pair(out + 2, high % 100);
    write_pair(out + 4, low / 100);
    write_pair(out + 6, low % 100);
}

/// The digits of n < 10^8, without leading zeros.
char* write_short(char* out, std::uint32_t n) {
    int digits = n < 100       ? (n < 10 ? 1 : 2)
                 : n < 10000   ? (n < 1000 ? 3 : 4)
                 : n < 1000000 ? (n < 100000 ? 5 : 6)
                               : (n < 10000000 ? 7 : 8);
    char* end = out + digits;
    char* p = end;
    while (n >= 100) {
        p -= 2;
        write_pair(p, n % 100);
        n /= 100;
    }
    if (n >= 10) {
        write_pair(p - 2, n);
    } else {
        p[-1] = static_cast<char>('0' + n);
    }
    return end;
}

} // namespace

char* write_int(char* out, std::int64_t value) {
    // Timestamps and counters are long: eight digits per division instead of one std::to_chars
    // step per two digits, with a digit count found up front.
    auto n = static_cast<std::uint64_t>(value);
    if (value < 0) {
        *out++ = '-';
        n = 0 - n; // INT64_MIN's magnitude fits in uint64
    }
    constexpr std::uint64_t kE8 = 100'000'000;
    if (n < kE8) {
        return write_short(out, static_cast<std::uint32_t>(n));
    }
    if (n < kE8 * kE8) {
        out = write_short(out, static_cast<std::uint32_t>(n / kE8));
        write_eight(out, static_cast<std::uint32_t>(n % kE8));
        return out + 8;
    }
    out = write_short(out, static_cast<std::uint32_t>(n / (kE8 * kE8)));
    auto rest = n % (kE8 * kE8);
    write_eight(out, static_cast<std::uint32_t>(rest / kE8));
    write_eight(out + 8, static_cast<std::uint32_t>(rest % kE8));
    return out + 16;
}

void append_int(std::string& out, std::int64_t value) {
    char buffer[kMaxIntChars];
    out.append(buffer, static_cast<std::size_t>(write_int(buffer, value) - buffer));
}

namespace {

constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

int decimal_digits(std::uint64_t n) {
    int count = 1;
    for (; n >= 10; n /= 10) {
        ++count;
    }
    return count;
}

/// Writes |value| as fixed-point text when that is what std::to_chars would write, which
/// covers the decimals sensors send (91.8, 21.25, 1732300000.5) at a fraction of its cost.
/// Returns the end of the text, or nullptr to leave the value to std::to_chars.
char* format_short_fixed(char* out, double magnitude) {
    if (!(magnitude < 1e15)) {
        return nullptr;
    }
    for (int decimals = 0; decimals < 16; ++decimals) {
        double scaled = magnitude * kPow10[decimals];
        if (scaled >= 1e15) {
            return nullptr;
        }
        // Adding and taking away 2^52 rounds a double in [0, 2^52) to the nearest integer
        // without a libm call (the compiler may not fold it away without -ffast-math).
        constexpr double kShift = 0x1p52;
        double rounded = (scaled + kShift) - kShift;
        // Below 1e15 the neighbouring decimals at this precision lie several ulps away, so
        // the one that divides back exactly is the only one that reads back as `magnitude`:
        // the shortest round-trip digits.
        if (rounded / kPow10[decimals] != magnitude) {
            continue;
        }
        auto mantissa = static_cast<std::uint64_t>(rounded);
        int digits = decimal_digits(mantissa);
        int significant = digits;
        for (auto m = mantissa; m != 0 && m % 10 == 0; m /= 10) {
            --significant;
        }
        int whole_digits = std::max(digits - decimals, 1);
        int fixed_length = decimals ? whole_digits + 1 + decimals : digits;
        int scientific_length = significant + (significant > 1 ? 1 : 0) + 4; // d.ddde+XX
        if (fixed_length > scientific_length) {
            return nullptr;
        }
        // Write right to left: the decimals, the point, the whole part.
        char* end = out + fixed_length;
        char* p = end;
        for (int i = 0; i < decimals; ++i, mantissa /= 10) {
            *--p = static_cast<char>('0' + mantissa % 10);
        }
        if (decimals) {
            *--p = '.';
        }
        do {
            *--p = static_cast<char>('0' + mantissa % 10);
            mantissa /= 10;
        } while (p > out);
        return end;
    }
    return nullptr;
}

} // namespace

char* write_double(char* out, double value) {
    char* start = out;
    if (std::signbit(value)) {
        *start++ = '-';
    }
    char* end = format_short_fixed(start, std::fabs(value));
    if (end == nullptr) {
        start = out;
        end = std::to_chars(out, out + kMaxDoubleChars - 2, value).ptr;
    }
    for (const char* p = start; p != end; ++p) {
        if (*p == '.' || *p == 'e' || *p == 'n' || *p == 'i') {
            return end;
        }
    }
    *end++ = '.';
    *end++ = '0';
    return end;
}

void append_double(std::string& out, double value) {
    char buffer[kMaxDoubleChars];
    out.append(buffer, static_cast<std::size_t>(write_double(buffer, value) - buffer));
}

namespace {

constexpr char kHex[] = "0123456789abcdef";

char* write_escape(char* out, unsigned char c) {
    char short_form = 0;
    switch (c) {
    case '"':
        short_form = '"';
        break;
    case '\\':
        short_form = '\\';
        break;
    case '\n':
        short_form = 'n';
        break;
    case '\r':
        short_form = 'r';
        break;
    case '\t':
        short_form = 't';
        break;
    case '\b':
        short_form = 'b';
        break;
    case '\f':
        short_form = 'f';
        break;
    default:
        break;
    }
    *out++ = '\\';
    if (short_form) {
        *out++ = short_form;
        return out;
    }
    const char text[5] = {'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
    std::memcpy(out, text, sizeof text);
    return out + sizeof text;
}

} // namespace

char* write_json_string(char* out, std::string_view text) {
    *out++ = '"';
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *out++ = *p++;
            continue;
        }
        if (c < 0x80) {
            out = write_escape(out, c);
            ++p;
        } else if (auto n = utf8_sequence_length(p, end)) {
            std::memcpy(out, p, n);
            out += n;
            p += n;
        } else {
            // Each stray byte becomes U+FFFD, three bytes for one: within the 6x bound.
            std::memcpy(out, "\xEF\xBF\xBD", 3);
            out += 3;
            ++p;
        }
    }
    *out++ = '"';
    return out;
}

void append_json_string(std::string& out, std::string_view text) {
    // Runs of plain bytes are appended whole, so a long string costs no 6x scratch room.
    out.push_back('"');
    const char* p = text.data();
    const char* end = p + text.size();
    const char* run = p;
    char escaped[8];
    while (p < end) {
        auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++p;
            continue;
        }
        if (c >= 0x80) {
            if (auto n = utf8_sequence_length(p, end)) {
                p += n;
                continue;
            }
        }
        out.append(run, static_cast<std::size_t>(p - run));
        if (c >= 0x80) {
            out.append("\xEF\xBF\xBD", 3);
        } else {
            out.append(escaped, static_cast<std::size_t>(write_escape(escaped, c) - escaped));
        }
        ++p;
        run = p;
    }
    out.append(run, static_cast<std::size_t>(p - run));
    out.push_back('"');
}

void append_plain(std::string& out, Value value) {
    switch (value.type()) {
    case ValueType::null:
        return;
    case ValueType::boolean:
        out.append(value.as_bool() ? "true" : "false");
        return;
    case ValueType::integer:
        append_int(out, value.as_int());
        return;
    case ValueType::number: {
        double d = value.as_double();
        if (std::isnan(d)) {
            out.append("nan");
        } else if (std::isinf(d)) {
            out.append(d > 0 ? "inf" : "-inf");
        } else {
            append_double(out, d);
        }
        return;
    }
    case ValueType::string:
        out.append(value.as_string());
        return;
    }
}

} // namespace sluice
