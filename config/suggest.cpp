#include "config/suggest.hpp"

#include "config/limits.hpp"

#include <algorithm>
#include <cstdio>

namespace sluice {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: Levenshtein plus the swap of two neighbours, the most common
    // typo ("gsp" for "gps"). Three rows suffice.
    std::vector<std::size_t> before(b.size() + 1);
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], before[j - 2] + 1);
            }
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates) {
    if (word.empty() || word.size() > config_limits::kMaxSuggestLength) {
        return std::nullopt;
    }
    // A third of the length keeps "input" -> "inputs" and "seriall" -> "serial" while refusing
    // to map unrelated short words onto each other.
    std::size_t limit = std::max<std::size_t>(1, (word.size() + 2) / 3);
    std::optional<std::string_view> best;
    std::size_t best_distance = limit + 1;
    for (auto candidate : candidates) {
        if (candidate.size() > word.size() + limit || word.size() > candidate.size() + limit) {
            continue;
        }
        std::size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

std::string join_list(std::span<const std::string_view> items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i ? ", " : "";
        out += printable(items[i]);
    }
    return out;
}

std::string quote(std::string_view text) {
    return "'" + printable(text) + "'";
}

std::string printable(std::string_view text) {
    constexpr std::size_t kMaxShown = 60;
    std::string out;
    std::size_t shown = 0;
    for (char c : text) {
        if (shown == kMaxShown) {
            out += "...";
            break;
        }
        auto byte = static_cast<unsigned char>(c);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (byte < 0x20 || byte == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", byte);
            out += hex;
        } else {
            out += c;
        }
        ++shown;
    }
    return out;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
    auto match = closest_match(word, candidates);
    return match ? " (did you mean '" + std::string(*match) + "'?)" : std::string();
}

std::vector<std::string_view> views_of(const std::vector<std::string>& items) {
    return {items.begin(), items.end()};
}

} // namespace sluice
