#include "config/kind_check.hpp"
#include "config/kind_registry.hpp"
#include "config/test_kinds.hpp"
#include "pipeline/stages/builtin_stages.hpp"

#include <catch2/catch.hpp>

#include <array>

using namespace sluice;
using namespace std::string_view_literals;

TEST_CASE("the section tables, the test kinds and the real stage kinds pass the table checks") {
    Diagnostics d("tables");
    CHECK(check_kind_tables(testing::golden_registry(), d));
    CHECK(d.format_all() == "");
}

namespace {

constexpr std::array kNoChoices = {"a"sv};
const OptionSpec kBroken[] = {
    {"inputs", OptionType::string_list, "", "Clashes with the common option."},
    {"speed", OptionType::integer, "fast", "A default that is not an integer."},
    {"mode", OptionType::choice, "", "No choices."},
    {"level", OptionType::choice, "c", "A default outside its choices.", false, kNoChoices},
    {"needed", OptionType::string, "x", "Required with a default.", true},
    {"quiet", OptionType::boolean, "false", ""},
    {.key = "low",
     .type = OptionType::duration,
     .default_value = "1s",
     .doc = "At most an option that is not there.",
     .at_most = "high"},
    {.key = "floor",
     .type = OptionType::duration,
     .default_value = "1s",
     .doc = "At most an option of another type.",
     .at_most = "quiet"},
};

} // namespace

TEST_CASE("the table checks report each kind of mistake in a kind's table") {
    KindRegistry registry;
    registry.add(KindSpec{ComponentKind::sink, "bad", "", kBroken});
    registry.add(KindSpec{ComponentKind::stage, "nofactory", "", {}});
    Diagnostics d("tables");
    CHECK_FALSE(check_kind_tables(registry, d));
    auto text = d.format_all();
    INFO(text);
    CHECK(text.find("sink type 'bad' declares option 'inputs' twice") != std::string::npos);
    CHECK(text.find("actuator type 'bad' declares option 'inputs' twice") != std::string::npos);
    CHECK(text.find("sink type 'bad' option 'speed' has a default that fails its own check: "
                    "invalid value 'fast' for 'speed', expected an integer") != std::string::npos);
    CHECK(text.find("option 'mode' is a choice without choices") != std::string::npos);
    CHECK(text.find("option 'level' has a default that fails its own check") != std::string::npos);
    CHECK(text.find("option 'needed' is required and has a default") != std::string::npos);
    CHECK(text.find("option 'quiet' has no doc") != std::string::npos);
    CHECK(text.find("stage type 'nofactory' has no factory") != std::string::npos);
    CHECK(text.find("sink type 'bad' option 'low' is at most 'high', which the table does not "
                    "declare") != std::string::npos);
    CHECK(text.find("sink type 'bad' option 'floor' is at most 'quiet', expected that option to "
                    "have its type and a default") != std::string::npos);
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
