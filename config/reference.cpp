// The generated part of docs/config.md: one table per section and per component type, from the
// same OptionSpec tables that validation and defaults use.
#include "config/load.hpp"
#include "config/section_options.hpp"
#include "pipeline/codec/codecs.hpp"

#include <cstdio>

namespace sluice {
namespace {

std::string table_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string code(std::string_view text) {
    return "`" + table_text(text) + "`";
}

std::string number_text(const OptionSpec& spec, double value) {
    char buffer[32];
    if (spec.type == OptionType::duration) {
        return format_duration(static_cast<Nanos>(value * 1e9));
    }
    if (spec.type == OptionType::integer || spec.type == OptionType::size) {
        return std::to_string(static_cast<long long>(value));
    }
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return spec.type == OptionType::rate ? std::string(buffer) + "/s" : buffer;
}

std::string type_text(const OptionSpec& spec) {
    static constexpr std::string_view kNames[] = {
        "string", "integer",    "number",          "bool",    "duration", "rate", "size",
        "choice", "expression", "list of strings", "mapping", "mapping"};
    if (spec.type == OptionType::choice) {
        std::string out = "one of ";
        for (std::size_t i = 0; i < spec.choices.size(); ++i) {
            out += (i ? ", " : "") + code(spec.choices[i]);
        }
        return out;
    }
    std::string out(kNames[static_cast<std::size_t>(spec.type)]);
    if (spec.min > -1e299) {
        out += " >= " + number_text(spec, spec.min);
    }
    // A maximum near the top of int64 only keeps a value in range; it is no advice to a user.
    if (spec.max < 1e15) {
        out += (spec.min > -1e299 ? ", <= " : " <= ") + number_text(spec, spec.max);
    }
    if (!spec.at_most.empty()) {
        out += (spec.min > -1e299 || spec.max < 1e15 ? ", <= " : " <= ") + code(spec.at_most);
    }
    return out;
}

void table(std::string& out, std::span<const OptionSpec> options) {
    out += "| Option | Type | Default | Description |\n";
    out += "| --- | --- | --- | --- |\n";
    for (const auto& spec : options) {
        std::string fallback = spec.required                ? "required"
                               : spec.default_value.empty() ? "—"
                                                            : code(spec.default_value);
        out += "| " + code(spec.key) + " | " + type_text(spec) + " | " + fallback + " | " +
               table_text(spec.doc) + " |\n";
    }
    out += '\n';
}

std::string group_name(std::span<const OptionSpec> group) {
    if (group.data() == framing_decode_options().data()) {
        return "framing and decoding options";
    }
    if (group.data() == encode_options().data()) {
        return "encoding options";
    }
    return "shared options (" + std::string(group.empty() ? "" : group[0].key) + ", ...)";
}

void kind_sections(std::string& out, const KindRegistry& registry, ComponentKind kind,
                   std::string_view plural) {
    std::vector<std::span<const OptionSpec>> groups;
    for (const auto* spec : registry.all(kind)) {
        out += "### `" + std::string(spec->type) + "` " + std::string(kind_name(kind)) + "\n\n";
        if (!spec->summary.empty()) {
            out += std::string(spec->summary) + "\n\n";
        }
        if (!spec->uses_once.empty()) {
            out +=
                "At most one per pipeline" +
                std::string(kind == ComponentKind::sink ? ", sinks and actuators together" : "") +
                ": it uses " + std::string(spec->uses_once) + ".\n\n";
        }
        if (spec->options.empty()) {
            out += "No options of its own.\n\n";
        } else {
            table(out, spec->options);
        }
        if (!spec->shared_options.empty()) {
            out += "Also takes the " + group_name(spec->shared_options) + " of " +
                   std::string(plural) + ", below.\n\n";
            bool known = false;
            for (auto group : groups) {
                known = known || group.data() == spec->shared_options.data();
            }
            if (!known) {
                groups.push_back(spec->shared_options);
            }
        }
    }
    for (auto group : groups) {
        std::string name = group_name(group);
        name[0] = static_cast<char>(name[0] - 'a' + 'A');
        out += "### " + name + " of " + std::string(plural) + "\n\n";
        table(out, group);
    }
}

} // namespace

std::string config_reference_markdown(const KindRegistry& registry) {
    std::string out;
    out += "## The `daemon` section\n\n";
    table(out, daemon_options());
    struct Section {
        ComponentKind kind;
        std::string_view title;
        std::string_view plural;
    };
    static constexpr Section kSections[] = {{ComponentKind::source, "Sources", "sources"},
                                            {ComponentKind::stage, "Stages", "stages"},
                                            {ComponentKind::sink, "Sinks", "sinks"}};
    for (const auto& section : kSections) {
        out += "## " + std::string(section.title) + "\n\n";
        out += "Every " + std::string(kind_name(section.kind)) + " takes:\n\n";
        table(out, common_options(section.kind));
        if (section.kind == ComponentKind::sink) {
            out += "A sink's `buffer:` mapping takes:\n\n";
            table(out, buffer_options());
        }
        kind_sections(out, registry, section.kind, section.plural);
    }
    out += "## Actuators\n\n";
    out += "An actuator is a sink that commands a device: it takes every sink type with that "
           "type's options, the sink options above, and:\n\n";
    // The actuator table starts with the sink options (type, inputs, buffer) shown above.
    table(out, common_options(ComponentKind::actuator).subspan(3));
    return out;
}

} // namespace sluice
