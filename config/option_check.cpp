#include "config/option_check.hpp"

#include "config/suggest.hpp"

#include <cstdio>
#include <vector>

namespace sluice {
namespace {

bool has_min(const OptionSpec& spec) {
    return spec.min > -1e299;
}

bool has_max(const OptionSpec& spec) {
    return spec.max < 1e299;
}

std::string format_number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

/// A bound as the option's unit writes it: durations in seconds become "250ms", rates are per
/// second, sizes in bytes.
std::string format_bound(const OptionSpec& spec, double bound) {
    switch (spec.type) {
    case OptionType::integer:
    case OptionType::size: // in bytes: "%g" would write 1 GiB as 1.07374e+09
        return std::to_string(static_cast<long long>(bound));
    case OptionType::duration:
        return format_duration(static_cast<Nanos>(bound * 1e9));
    case OptionType::rate:
        return format_number(bound) + "/s";
    default:
        return format_number(bound);
    }
}

std::string expected_text(const OptionSpec& spec) {
    if (spec.type == OptionType::choice) {
        return "one of: " + join_list(spec.choices);
    }
    return std::string(option_type_name(spec.type));
}

bool check_range(double value, const ConfigNode& node, const OptionSpec& spec,
                 const CheckContext& context) {
    if (has_min(spec) && value < spec.min) {
        context.diagnostics.error(node.position(), std::string(spec.key) + " must be at least " +
                                                       format_bound(spec, spec.min) + ", got " +
                                                       printable(node.text()));
        return false;
    }
    if (has_max(spec) && value > spec.max) {
        context.diagnostics.error(node.position(), std::string(spec.key) + " must be at most " +
                                                       format_bound(spec, spec.max) + ", got " +
                                                       printable(node.text()));
        return false;
    }
    return true;
}

/// The value of a unit-bearing or numeric scalar in the unit its range is given in, or nullopt
/// when it does not parse.
std::optional<double> numeric_value(const OptionSpec& spec, const std::string& text) {
    switch (spec.type) {
    case OptionType::integer: {
        auto v = parse_integer(text);
        return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
    }
    case OptionType::number:
        return parse_number(text);
    case OptionType::duration: {
        auto v = parse_duration(text);
        return v ? std::optional<double>(static_cast<double>(*v) / 1e9) : std::nullopt;
    }
    case OptionType::rate: {
        auto v = parse_rate(text);
        return v ? std::optional<double>(v->per_second()) : std::nullopt;
    }
    case OptionType::size: {
        auto v = parse_size(text);
        return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

/// The option's own check of a scalar's text (OptionSpec::check), after its type's; for a list,
/// of each item.
bool check_text(const ConfigNode& value, const OptionSpec& spec, const CheckContext& context) {
    if (!spec.check) {
        return true;
    }
    auto problem = spec.check(value.text());
    if (problem.empty()) {
        return true;
    }
    context.diagnostics.error(value.position(), "invalid value " + quote(value.text()) + " for '" +
                                                    std::string(spec.key) + "'" + problem);
    return false;
}

bool check_type(const ConfigNode& value, const OptionSpec& spec, const CheckContext& context) {
    const std::string& text = value.text();
    auto invalid = [&](std::string_view hint) {
        context.diagnostics.error(
            value.position(), "invalid value " + quote(text) + " for '" + std::string(spec.key) +
                                  "'" + std::string(hint) + ", expected " + expected_text(spec));
        return false;
    };
    switch (spec.type) {
    case OptionType::boolean:
        return parse_bool(text) ? true : invalid("");
    case OptionType::choice:
        for (auto choice : spec.choices) {
            if (choice == text) {
                return true;
            }
        }
        return invalid(did_you_mean(text, spec.choices));
    case OptionType::integer:
    case OptionType::number:
    case OptionType::duration:
    case OptionType::rate:
    case OptionType::size:
        if (auto number = numeric_value(spec, text)) {
            return check_range(*number, value, spec, context);
        }
        return invalid("");
    default:
        return true;
    }
}

bool check_items(const ConfigNode& value, const OptionSpec& spec, const CheckContext& context) {
    bool ok = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& item = value.items()[i];
        if (item.is_scalar()) {
            ok =
                (is_tainted(context.tainted, item.position()) || check_text(item, spec, context)) &&
                ok;
            continue;
        }
        std::string where = value.is_mapping() ? "value for '" + std::string(spec.key) + "." +
                                                     printable(value.keys()[i]) + "'"
                                               : "item in '" + std::string(spec.key) + "'";
        context.diagnostics.error(item.position(), "invalid " + where + " (" +
                                                       std::string(node_description(item)) +
                                                       "), expected a string");
        ok = false;
    }
    return ok;
}

/// OptionSpec::at_most: `spec`'s value, when given and valid, may not exceed `limit`'s value
/// (or default). An invalid value on either side has been reported already.
void check_at_most(const ConfigNode& mapping, const OptionSpec& spec, const OptionSpec* limit,
                   const CheckContext& context) {
    const auto* value = mapping.find(spec.key);
    if (!limit || !value || !value->is_scalar() || is_tainted(context.tainted, value->position())) {
        return;
    }
    const auto* limit_value = mapping.find(limit->key);
    if (limit_value && !limit_value->is_scalar()) {
        return;
    }
    std::string limit_text = limit_value ? limit_value->text() : std::string(limit->default_value);
    auto own = numeric_value(spec, value->text());
    auto most = numeric_value(*limit, limit_text);
    if (!own || !most || *own <= *most) {
        return;
    }
    context.diagnostics.error(
        value->position(), "'" + std::string(spec.key) + "' (" + value->text() +
                               ") is more than '" + std::string(limit->key) + "' (" + limit_text +
                               (limit_value ? "" : ", its default") + "), expected at most that");
}

} // namespace

std::string_view node_description(const ConfigNode& node) {
    switch (node.kind()) {
    case ConfigNode::Kind::mapping:
        return "a mapping";
    case ConfigNode::Kind::sequence:
        return "a list";
    case ConfigNode::Kind::null:
        return "an empty value";
    case ConfigNode::Kind::scalar:
        return "a scalar";
    }
    return "a value";
}

bool check_value(const ConfigNode& value, const OptionSpec& spec, const CheckContext& context) {
    if (spec.type == OptionType::node || is_tainted(context.tainted, value.position())) {
        return true;
    }
    if (value.is_null()) {
        context.diagnostics.error(value.position(), "missing value for '" + std::string(spec.key) +
                                                        "', expected " + expected_text(spec));
        return false;
    }
    bool structure_ok = value.is_scalar();
    if (spec.type == OptionType::string_list) {
        structure_ok = value.is_scalar() || value.is_sequence();
    } else if (spec.type == OptionType::string_map) {
        structure_ok = value.is_mapping();
    }
    if (!structure_ok) {
        context.diagnostics.error(value.position(), "invalid value for '" + std::string(spec.key) +
                                                        "' (" +
                                                        std::string(node_description(value)) +
                                                        "), expected " + expected_text(spec));
        return false;
    }
    if (!value.is_scalar()) {
        return check_items(value, spec, context);
    }
    return check_type(value, spec, context) && check_text(value, spec, context);
}

ConfigNode default_node(const OptionSpec& spec, Position where) {
    std::string_view text = spec.default_value;
    bool structured = spec.type == OptionType::string_list || spec.type == OptionType::node;
    if (structured && text.starts_with('[') && text.ends_with(']')) {
        auto node = ConfigNode::make_sequence(where);
        std::string_view rest = text.substr(1, text.size() - 2);
        while (!rest.empty()) {
            auto comma = rest.find(',');
            auto item = rest.substr(0, comma);
            auto first = item.find_first_not_of(' ');
            auto last = item.find_last_not_of(' ');
            if (first != std::string_view::npos) {
                node.push_back(ConfigNode::make_scalar(
                    std::string(item.substr(first, last - first + 1)), where));
            }
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
        return node;
    }
    bool mapping = spec.type == OptionType::string_map || spec.type == OptionType::node;
    if (mapping && text == "{}") {
        return ConfigNode::make_mapping(where);
    }
    return ConfigNode::make_scalar(std::string(text), where);
}

void check_mapping(ConfigNode& mapping, OptionGroups groups, std::string_view owner,
                   Position owner_position, const CheckContext& context) {
    std::vector<std::string_view> known;
    for (auto group : groups) {
        for (const auto& spec : group) {
            known.push_back(spec.key);
        }
    }
    auto find_spec = [&](std::string_view key) -> const OptionSpec* {
        for (auto group : groups) {
            for (const auto& spec : group) {
                if (spec.key == key) {
                    return &spec;
                }
            }
        }
        return nullptr;
    };
    for (std::size_t i = 0; i < mapping.size(); ++i) {
        const auto& key = mapping.keys()[i];
        const auto& value = mapping.items()[i];
        if (const auto* spec = find_spec(key)) {
            check_value(value, *spec, context);
            continue;
        }
        if (is_tainted(context.tainted, value.key_position())) {
            continue;
        }
        auto match = closest_match(key, known);
        context.diagnostics.error(value.key_position(),
                                  "unknown key " + quote(key) +
                                      (match ? ", did you mean '" + std::string(*match) + "'?"
                                             : ", expected one of: " + join_list(known)));
    }
    for (auto group : groups) {
        for (const auto& spec : group) {
            if (!spec.at_most.empty()) {
                check_at_most(mapping, spec, find_spec(spec.at_most), context);
            }
        }
    }
    for (auto group : groups) {
        for (const auto& spec : group) {
            if (mapping.find(spec.key)) {
                continue;
            }
            if (spec.required) {
                context.diagnostics.error(owner_position, std::string(owner) +
                                                              " is missing required option '" +
                                                              std::string(spec.key) +
                                                              "', expected " + expected_text(spec));
            } else if (!spec.default_value.empty()) {
                mapping.set(std::string(spec.key), default_node(spec, owner_position),
                            owner_position);
            }
        }
    }
}

} // namespace sluice
