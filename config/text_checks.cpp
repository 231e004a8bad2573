#include "config/text_checks.hpp"

#include "config/limits.hpp"

#include <cstdio>
#include <string>

namespace sluice {
namespace {

/// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is invalid (overlong
/// forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) {
            return 0;
        }
    }
    return length;
}

bool is_text_byte(unsigned char c) {
    return c >= 0x20 ? c != 0x7f : c == '\t' || c == '\n' || c == '\r';
}

} // namespace

Position position_of(std::string_view text, std::size_t offset) {
    Position where{1, 1};
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else {
            ++where.column;
        }
    }
    return where;
}

bool check_text(std::string_view text, Diagnostics& diagnostics) {
    if (text.size() > config_limits::kMaxFileBytes) {
        diagnostics.error({}, "file is larger than " +
                                  std::to_string(config_limits::kMaxFileBytes / (1024 * 1024)) +
                                  " MiB, expected a configuration file under that size");
        return false;
    }
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = c < 0x80 ? (is_text_byte(c) ? 1 : 0) : utf8_sequence_length(text, i);
        if (length == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", c);
            diagnostics.error(position_of(text, i), std::string("file is not UTF-8 text (byte ") +
                                                        hex + "), expected a YAML text file");
            return false;
        }
        i += length;
    }
    return true;
}

std::optional<Position> find_indentation_tab(std::string_view text, std::uint32_t first_line,
                                             std::uint32_t last_line) {
    std::uint32_t line = 1;
    bool in_indentation = true;
    std::uint32_t column = 1;
    for (char c : text) {
        if (line > last_line) {
            break;
        }
        if (c == '\n') {
            ++line;
            column = 1;
            in_indentation = true;
            continue;
        }
        if (in_indentation && c == '\t' && line >= first_line) {
            return Position{line, column};
        }
        if (c != ' ') {
            in_indentation = false;
        }
        ++column;
    }
    return std::nullopt;
}

} // namespace sluice
