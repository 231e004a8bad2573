#include "pipeline/units.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace sluice {
namespace {

/// Splits "12.5ms" into 12.5 and "ms"; nullopt when there is no leading number.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data() || !std::isfinite(value) || value < 0) {
        return std::nullopt;
    }
    return std::pair{value, text.substr(static_cast<std::size_t>(end - text.data()))};
}

std::optional<double> unit_nanos(std::string_view unit) {
    if (unit == "ns") {
        return 1.0;
    }
    if (unit == "us") {
        return 1e3;
    }
    if (unit == "ms") {
        return 1e6;
    }
    if (unit == "s") {
        return 1e9;
    }
    if (unit == "m") {
        return 60e9;
    }
    if (unit == "h") {
        return 3600e9;
    }
    if (unit == "d") {
        return 86400e9;
    }
    return std::nullopt;
}

} // namespace

std::optional<Nanos> parse_duration(std::string_view text) {
    auto parts = split_number(text);
    if (!parts) {
        return std::nullopt;
    }
    auto scale = unit_nanos(parts->second);
    if (!scale) {
        return std::nullopt;
    }
    double ns = std::round(parts->first * *scale);
    if (ns >= 9.2e18) {
        return std::nullopt;
    }
    return static_cast<Nanos>(ns);
}

std::optional<Rate> parse_rate(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    auto count = split_number(text.substr(0, slash));
    if (!count || !count->second.empty()) {
        return std::nullopt;
    }
    auto interval = text.substr(slash + 1);
    // "10/s" means one second; "5/250ms" names the interval in full.
    std::optional<Nanos> per;
    if (auto scale = unit_nanos(interval)) {
        per = static_cast<Nanos>(*scale);
    } else {
        per = parse_duration(interval);
    }
    if (!per || *per <= 0) {
        return std::nullopt;
    }
    return Rate{count->first, *per};
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    auto parts = split_number(text);
    if (!parts) {
        return std::nullopt;
    }
    auto unit = parts->second;
    double scale = 0;
    if (unit.empty() || unit == "B") {
        scale = 1;
    } else if (unit == "KiB") {
        scale = 1024.0;
    } else if (unit == "MiB") {
        scale = 1024.0 * 1024;
    } else if (unit == "GiB") {
        scale = 1024.0 * 1024 * 1024;
    } else if (unit == "kB" || unit == "KB") {
        scale = 1e3;
    } else if (unit == "MB") {
        scale = 1e6;
    } else if (unit == "GB") {
        scale = 1e9;
    } else {
        return std::nullopt;
    }
    double bytes = parts->first * scale;
    if (bytes >= 1.8e19 || bytes != std::floor(bytes)) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(bytes);
}

std::string format_duration(Nanos ns) {
    struct Unit {
        Nanos size;
        const char* name;
    };
    static constexpr Unit units[] = {{3'600'000'000'000, "h"},
                                     {60'000'000'000, "m"},
                                     {1'000'000'000, "s"},
                                     {1'000'000, "ms"},
                                     {1'000, "us"}};
    for (const auto& unit : units) {
        if (ns != 0 && ns % unit.size == 0) {
            return std::to_string(ns / unit.size) + unit.name;
        }
    }
    return ns == 0 ? "0s" : std::to_string(ns) + "ns";
}

} // namespace sluice
