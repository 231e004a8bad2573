#include "pipeline/codec/text_format.hpp"

#include "pipeline/codec/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace sluice {

void append_int(std::string& out, std::int64_t value) {
    char buffer[24];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
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
        double rounded = std::nearbyint(scaled);
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

void append_double(std::string& out, double value) {
    char buffer[40];
    char* start = buffer;
    if (std::signbit(value)) {
        *start++ = '-';
    }
    if (char* end = format_short_fixed(start, std::fabs(value))) {
        out.append(buffer, static_cast<std::size_t>(end - buffer));
        if (std::memchr(start, '.', static_cast<std::size_t>(end - start))) {
            return;
        }
        out.append(".0", 2);
        return;
    }
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
    for (const char* p = buffer; p != result.ptr; ++p) {
        if (*p == '.' || *p == 'e' || *p == 'n' || *p == 'i') {
            return;
        }
    }
    out.append(".0", 2);
}

namespace {

void append_escape(std::string& out, unsigned char c) {
    switch (c) {
    case '"':
        out.append("\\\"");
        return;
    case '\\':
        out.append("\\\\");
        return;
    case '\n':
        out.append("\\n");
        return;
    case '\r':
        out.append("\\r");
        return;
    case '\t':
        out.append("\\t");
        return;
    case '\b':
        out.append("\\b");
        return;
    case '\f':
        out.append("\\f");
        return;
    default:
        break;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    char text[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
    out.append(text, sizeof text);
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    const char* p = text.data();
    const char* end = p + text.size();
    const char* run = p; // start of the bytes that need no escaping
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
            out.append(run, static_cast<std::size_t>(p - run));
            out.append("\xEF\xBF\xBD");
        } else {
            out.append(run, static_cast<std::size_t>(p - run));
            append_escape(out, c);
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
