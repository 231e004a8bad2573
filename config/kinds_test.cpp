// Checks of the option tables themselves (the section tables here, and every kind the goldens
// use, the real stage kinds included): a default that fails its own check, or a key declared
// twice, is a bug that would surface as a confusing error in every user's file.
#include "config/kind_registry.hpp"
#include "config/option_check.hpp"
#include "config/section_options.hpp"
#include "config/test_kinds.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace sluice;

namespace {

struct Table {
    std::string name;
    std::vector<std::span<const OptionSpec>> groups;
};

std::vector<Table> all_tables() {
    std::vector<Table> tables = {{"daemon", {daemon_options()}}, {"buffer", {buffer_options()}}};
    for (auto kind : {ComponentKind::source, ComponentKind::stage, ComponentKind::sink,
                      ComponentKind::actuator}) {
        for (const auto* spec : testing::golden_registry().all(kind)) {
            tables.push_back({std::string(kind_name(kind)) + " " + std::string(spec->type),
                              {common_options(kind), spec->options, spec->shared_options}});
        }
    }
    return tables;
}

} // namespace

TEST_CASE("every default in every option table passes its own check") {
    for (const auto& table : all_tables()) {
        for (auto group : table.groups) {
            for (const auto& spec : group) {
                if (spec.default_value.empty()) {
                    continue;
                }
                Diagnostics d("defaults");
                TaintedPositions tainted;
                INFO(table.name << " option " << spec.key);
                CHECK(check_value(default_node(spec, {1, 1}), spec, {d, tainted}));
                CHECK(d.format_all() == "");
            }
        }
    }
}

TEST_CASE("no kind declares an option key twice, its section's common keys included") {
    for (const auto& table : all_tables()) {
        std::set<std::string_view> keys;
        for (auto group : table.groups) {
            for (const auto& spec : group) {
                INFO(table.name << " option " << spec.key);
                CHECK(keys.insert(spec.key).second);
            }
        }
    }
}

TEST_CASE("every option is documented and every choice lists its choices") {
    for (const auto& table : all_tables()) {
        for (auto group : table.groups) {
            for (const auto& spec : group) {
                INFO(table.name << " option " << spec.key);
                CHECK_FALSE(spec.doc.empty());
                CHECK((spec.type != OptionType::choice || !spec.choices.empty()));
                CHECK_FALSE((spec.required && !spec.default_value.empty()));
            }
        }
    }
}

TEST_CASE("every stage kind has a factory") {
    for (const auto* spec : testing::golden_registry().all(ComponentKind::stage)) {
        INFO(spec->type);
        CHECK(spec->make_stage != nullptr);
    }
}

TEST_CASE("actuators find the sink types") {
    const auto& registry = testing::test_registry();
    CHECK(registry.find(ComponentKind::actuator, "serial") ==
          registry.find(ComponentKind::sink, "serial"));
    CHECK(registry.find(ComponentKind::actuator, "pass") == nullptr);
    CHECK(registry.type_names(ComponentKind::actuator) == registry.type_names(ComponentKind::sink));
}

TEST_CASE("a kind added again replaces the earlier one and keeps pointers valid") {
    KindRegistry registry;
    registry.add(KindSpec{ComponentKind::sink, "a", "first", {}});
    const auto* a = registry.find(ComponentKind::sink, "a");
    for (int i = 0; i < 100; ++i) {
        registry.add(KindSpec{ComponentKind::source, "s", "", {}});
    }
    registry.add(KindSpec{ComponentKind::sink, "a", "second", {}});
    CHECK(registry.find(ComponentKind::sink, "a") == a);
    CHECK(a->summary == "second");
    CHECK(registry.all(ComponentKind::source).size() == 1);
}
