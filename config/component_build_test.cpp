#include "config/load.hpp"
#include "config/test_kinds.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace sluice;

namespace {

int checks_run = 0;

bool throwing_check(const ComponentConfig&, Diagnostics&) {
    ++checks_run;
    throw std::runtime_error("no such widget");
}

bool silent_check(const ComponentConfig&, Diagnostics&) {
    ++checks_run;
    return false;
}

const OptionSpec kLevel[] = {
    {"level", OptionType::integer, "1", "A level.", false, {}, 0, 9},
};

std::string check(std::string_view text) {
    KindRegistry registry = testing::test_registry();
    registry.add(KindSpec{ComponentKind::sink, "boom", "", kLevel, {}, nullptr, throwing_check});
    registry.add(KindSpec{ComponentKind::sink, "quiet", "", kLevel, {}, nullptr, silent_check});
    Diagnostics d("b.yaml");
    load_config_text(text, "b.yaml", registry, d);
    return d.format_all();
}

} // namespace

TEST_CASE("a sink's factory check that throws or fails silently is reported, not propagated") {
    checks_run = 0;
    CHECK(check(R"(version: 1
sources:
  s: {type: generator}
sinks:
  a: {type: boom, inputs: s}
  b: {type: quiet, inputs: s}
actuators:
  c: {type: quiet, inputs: s}
)") == "b.yaml:5:3: error: sink 'a' could not be built: no such widget\n"
       "b.yaml:6:3: error: sink 'b' could not be built\n"
       "b.yaml:8:3: error: actuator 'c' could not be built\n");
    CHECK(checks_run == 3);
}

TEST_CASE("a component with errors in its own options is not handed to its factory") {
    checks_run = 0;
    CHECK(check(R"(version: 1
sources:
  s: {type: generator}
sinks:
  a: {type: quiet, inputs: s, level: 12}
)") == "b.yaml:5:38: error: level must be at most 9, got 12\n");
    CHECK(checks_run == 0);
}
