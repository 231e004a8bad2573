#pragma once
// UTF-8 validation shared by the JSON decoder (which rejects invalid text) and the JSON encoder
// (which replaces it).

#include <cstddef>

namespace sluice {

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
