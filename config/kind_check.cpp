#include "config/kind_check.hpp"

#include "config/option_check.hpp"
#include "config/section_options.hpp"

#include <set>
#include <string>
#include <vector>

namespace sluice {
namespace {

struct Table {
    std::string name;
    std::vector<std::span<const OptionSpec>> groups;
};

std::vector<Table> all_tables(const KindRegistry& registry) {
    std::vector<Table> tables = {{"the daemon section", {daemon_options()}},
                                 {"the buffer section", {buffer_options()}}};
    for (auto kind : {ComponentKind::source, ComponentKind::stage, ComponentKind::sink,
                      ComponentKind::actuator}) {
        tables.push_back({"every " + std::string(kind_name(kind)), {common_options(kind)}});
        for (const auto* spec : registry.all(kind)) {
            tables.push_back(
                {std::string(kind_name(kind)) + " type '" + std::string(spec->type) + "'",
                 {common_options(kind), spec->options, spec->shared_options}});
        }
    }
    return tables;
}

void check_spec(const Table& table, const OptionSpec& spec, Diagnostics& diagnostics) {
    std::string where = table.name + " option '" + std::string(spec.key) + "'";
    if (spec.doc.empty()) {
        diagnostics.error({}, where + " has no doc, expected a sentence for docs/config.md");
    }
    if (spec.type == OptionType::choice && spec.choices.empty()) {
        diagnostics.error({}, where + " is a choice without choices, expected a list");
    }
    if (spec.required && !spec.default_value.empty()) {
        diagnostics.error({}, where + " is required and has a default, expected one of them");
    }
    if (spec.default_value.empty()) {
        return;
    }
    Diagnostics own("default");
    TaintedPositions none;
    check_value(default_node(spec, {1, 1}), spec, {own, none});
    for (const auto& problem : own.all()) {
        diagnostics.error({},
                          where + " has a default that fails its own check: " + problem.message);
    }
}

/// OptionSpec::at_most names an option of the same table, of the same type, with a default
/// (so that the limit is known when only `spec` is given).
void check_at_most_target(const Table& table, const OptionSpec& spec, Diagnostics& diagnostics) {
    if (spec.at_most.empty()) {
        return;
    }
    for (auto group : table.groups) {
        for (const auto& other : group) {
            if (other.key != spec.at_most) {
                continue;
            }
            if (other.type != spec.type || other.default_value.empty()) {
                diagnostics.error({}, table.name + " option '" + std::string(spec.key) +
                                          "' is at most '" + std::string(other.key) +
                                          "', expected that option to have its type and a "
                                          "default");
            }
            return;
        }
    }
    diagnostics.error({}, table.name + " option '" + std::string(spec.key) + "' is at most '" +
                              std::string(spec.at_most) + "', which the table does not declare");
}

bool is_common(std::span<const OptionSpec> group) {
    for (auto kind : {ComponentKind::source, ComponentKind::stage, ComponentKind::sink,
                      ComponentKind::actuator}) {
        if (group.data() == common_options(kind).data()) {
            return true;
        }
    }
    return false;
}

} // namespace

bool check_kind_tables(const KindRegistry& registry, Diagnostics& diagnostics) {
    std::size_t errors_before = diagnostics.error_count();
    for (const auto& table : all_tables(registry)) {
        std::set<std::string_view> keys;
        for (auto group : table.groups) {
            for (const auto& spec : group) {
                if (!keys.insert(spec.key).second) {
                    diagnostics.error({}, table.name + " declares option '" +
                                              std::string(spec.key) +
                                              "' twice, expected each key once (the section's "
                                              "common options included)");
                }
                // A section's common table is checked once, in its own entry.
                if (table.groups.size() == 1 || !is_common(group)) {
                    check_spec(table, spec, diagnostics);
                }
                check_at_most_target(table, spec, diagnostics);
            }
        }
    }
    for (const auto* spec : registry.all(ComponentKind::stage)) {
        if (!spec->make_stage) {
            diagnostics.error({}, "stage type '" + std::string(spec->type) +
                                      "' has no factory, expected make_stage");
        }
    }
    return diagnostics.error_count() == errors_before;
}

} // namespace sluice
