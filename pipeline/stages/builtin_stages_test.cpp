#include "pipeline/stages/builtin_stages.hpp"

#include "pipeline/units.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace sluice;

TEST_CASE("builtin stages register every stage type of the spec") {
    std::set<std::string_view> types;
    for (const auto& kind : builtin_stage_kinds()) {
        CHECK(kind.kind == ComponentKind::stage);
        CHECK(kind.make_stage != nullptr);
        CHECK_FALSE(kind.summary.empty());
        types.insert(kind.type);
    }
    CHECK(types == std::set<std::string_view>{"filter", "map", "rule", "threshold", "deadband",
                                              "debounce", "throttle", "window", "route", "stale"});
}

TEST_CASE("builtin stage option tables leave shared options to the loader and parse defaults") {
    for (const auto& kind : builtin_stage_kinds()) {
        std::set<std::string_view> keys;
        for (const auto& spec : kind.options) {
            INFO(kind.type << "." << spec.key);
            CHECK(keys.insert(spec.key).second);
            for (auto shared : {"type", "inputs", "key", "max_keys"}) {
                CHECK(spec.key != shared);
            }
            CHECK_FALSE(spec.doc.empty());
            CHECK_FALSE((spec.required && !spec.default_value.empty()));
            if (spec.default_value.empty()) {
                continue;
            }
            switch (spec.type) {
            case OptionType::duration:
                CHECK(parse_duration(spec.default_value).has_value());
                break;
            case OptionType::number:
                CHECK(parse_number(spec.default_value).has_value());
                break;
            case OptionType::rate:
                CHECK(parse_rate(spec.default_value).has_value());
                break;
            default:
                break;
            }
        }
    }
}
