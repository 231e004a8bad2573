#pragma once
// Character helpers shared by the text parsers and encoders: expressions, the JSON and NMEA
// codecs, and the config reader's positions.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

/// The UTF-8 byte order mark, which Windows programs put at the start of text files.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// The value of a hexadecimal digit of either case, or -1.
inline int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/// How many bytes `code_point` (at most U+10FFFF) takes in UTF-8.
inline int utf8_length(std::uint32_t code_point) {
    return code_point < 0x80 ? 1 : code_point < 0x800 ? 2 : code_point < 0x10000 ? 3 : 4;
}

/// Appends `code_point` (at most U+10FFFF) as UTF-8.
inline void append_utf8(std::string& out, std::uint32_t code_point) {
    auto put = [&out](std::uint32_t byte) { out.push_back(static_cast<char>(byte)); };
    switch (utf8_length(code_point)) {
    case 1:
        put(code_point);
        break;
    case 2:
        put(0xC0 | (code_point >> 6));
        put(0x80 | (code_point & 0x3F));
        break;
    case 3:
        put(0xE0 | (code_point >> 12));
        put(0x80 | ((code_point >> 6) & 0x3F));
        put(0x80 | (code_point & 0x3F));
        break;
    default:
        put(0xF0 | (code_point >> 18));
        put(0x80 | ((code_point >> 12) & 0x3F));
        put(0x80 | ((code_point >> 6) & 0x3F));
        put(0x80 | (code_point & 0x3F));
        break;
    }
}

/// UTF-8 validation: the JSON decoder rejects invalid text, the JSON encoder replaces it.
/// The length (2-4) of the well-formed UTF-8 sequence that starts with the non-ASCII byte at `p`,
/// or 0 when the bytes there are not well-formed UTF-8 (overlong forms, surrogates, code points
/// past U+10FFFF, a sequence cut short by `end`).
inline std::size_t utf8_sequence_length(const char* p, const char* end) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(p[i]); };
    auto tail = [&](std::size_t i) { return (byte(i) & 0xC0u) == 0x80u; };
    auto left = static_cast<std::size_t>(end - p);
    unsigned char lead = byte(0);
    if (lead >= 0xC2 && lead <= 0xDF) {
        return left >= 2 && tail(1) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (left < 3 || !tail(1) || !tail(2)) {
            return 0;
        }
        // E0 needs A0..BF second (no overlong forms); ED needs 80..9F (no surrogates).
        if ((lead == 0xE0 && byte(1) < 0xA0) || (lead == 0xED && byte(1) > 0x9F)) {
            return 0;
        }
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (left < 4 || !tail(1) || !tail(2) || !tail(3)) {
            return 0;
        }
        if ((lead == 0xF0 && byte(1) < 0x90) || (lead == 0xF4 && byte(1) > 0x8F)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

} // namespace sluice
