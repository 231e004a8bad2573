#include "pipeline/options.hpp"

#include <charconv>
#include <cmath>

namespace sluice {

std::string_view option_type_name(OptionType type) {
    switch (type) {
    case OptionType::string:
        return "a string";
    case OptionType::integer:
        return "an integer";
    case OptionType::number:
        return "a number";
    case OptionType::boolean:
        return "true or false";
    case OptionType::duration:
        return "a duration such as 250ms, 5s, 2m or 1h";
    case OptionType::rate:
        return "a rate such as 10/s";
    case OptionType::size:
        return "a size such as 512, 64KiB or 1MiB";
    case OptionType::choice:
        return "one of the listed choices";
    case OptionType::expression:
        return "an expression";
    case OptionType::string_list:
        return "a list of strings";
    case OptionType::string_map:
        return "a mapping of names to values";
    case OptionType::node:
        return "a value";
    }
    return "a value";
}

std::string_view kind_name(ComponentKind kind) {
    switch (kind) {
    case ComponentKind::source:
        return "source";
    case ComponentKind::stage:
        return "stage";
    case ComponentKind::sink:
        return "sink";
    case ComponentKind::actuator:
        return "actuator";
    }
    return "?";
}

std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true" || text == "True" || text == "TRUE") {
        return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        return false;
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> parse_number(std::string_view text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty() ||
        !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

bool Options::has(std::string_view key) const {
    const auto* n = node_.find(key);
    return n && !n->is_null();
}

Position Options::position(std::string_view key) const {
    const auto* n = node_.find(key);
    return n ? n->position() : node_.position();
}

const ConfigNode* Options::scalar(std::string_view key) const {
    const auto* n = node_.find(key);
    return n && n->is_scalar() ? n : nullptr;
}

void Options::bad(std::string_view key, std::string_view expected) const {
    diagnostics_.error(position(key), "invalid value for '" + std::string(key) + "', expected " +
                                          std::string(expected));
}

std::string Options::string(std::string_view key, std::string_view fallback) const {
    const auto* n = scalar(key);
    return n ? n->text() : std::string(fallback);
}

std::optional<std::string> Options::checked_string(std::string_view key, ValueCheck check,
                                                   std::string_view fallback) const {
    auto text = string(key, fallback);
    auto problem = check(text);
    if (problem.empty()) {
        return text;
    }
    diagnostics_.error(position(key),
                       "invalid value '" + text + "' for '" + std::string(key) + "'" + problem);
    return std::nullopt;
}

std::int64_t Options::integer(std::string_view key, std::int64_t fallback) const {
    const auto* n = scalar(key);
    if (!n) {
        return fallback;
    }
    if (auto v = parse_integer(n->text())) {
        return *v;
    }
    bad(key, option_type_name(OptionType::integer));
    return fallback;
}

double Options::number(std::string_view key, double fallback) const {
    const auto* n = scalar(key);
    if (!n) {
        return fallback;
    }
    if (auto v = parse_number(n->text())) {
        return *v;
    }
    bad(key, option_type_name(OptionType::number));
    return fallback;
}

bool Options::boolean(std::string_view key, bool fallback) const {
    const auto* n = scalar(key);
    if (!n) {
        return fallback;
    }
    if (auto v = parse_bool(n->text())) {
        return *v;
    }
    bad(key, option_type_name(OptionType::boolean));
    return fallback;
}

std::optional<Nanos> Options::optional_duration(std::string_view key) const {
    const auto* n = scalar(key);
    if (!n) {
        return std::nullopt;
    }
    if (auto v = parse_duration(n->text())) {
        return v;
    }
    bad(key, option_type_name(OptionType::duration));
    return std::nullopt;
}

Nanos Options::duration(std::string_view key, Nanos fallback) const {
    return optional_duration(key).value_or(fallback);
}

Rate Options::rate(std::string_view key, Rate fallback) const {
    const auto* n = scalar(key);
    if (!n) {
        return fallback;
    }
    if (auto v = parse_rate(n->text())) {
        return *v;
    }
    bad(key, option_type_name(OptionType::rate));
    return fallback;
}

std::uint64_t Options::size(std::string_view key, std::uint64_t fallback) const {
    const auto* n = scalar(key);
    if (!n) {
        return fallback;
    }
    if (auto v = parse_size(n->text())) {
        return *v;
    }
    bad(key, option_type_name(OptionType::size));
    return fallback;
}

std::vector<std::string> Options::strings(std::string_view key) const {
    std::vector<std::string> out;
    const auto* n = node_.find(key);
    if (!n) {
        return out;
    }
    if (n->is_scalar()) {
        out.push_back(n->text());
        return out;
    }
    for (const auto& item : n->items()) {
        out.push_back(item.text());
    }
    return out;
}

} // namespace sluice
