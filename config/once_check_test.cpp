#include "config/load.hpp"
#include "config/test_kinds.hpp"

#include <catch2/catch.hpp>

using namespace sluice;

namespace {

std::string check(std::string_view text) {
    KindRegistry registry = testing::test_registry();
    registry.add(KindSpec{.kind = ComponentKind::source,
                          .type = "console",
                          .summary = "",
                          .options = {},
                          .uses_once = "the console"});
    registry.add(KindSpec{.kind = ComponentKind::sink,
                          .type = "console",
                          .summary = "",
                          .options = {},
                          .uses_once = "the console"});
    Diagnostics d("o.yaml");
    load_config_text(text, "o.yaml", registry, d);
    return d.format_all();
}

} // namespace

TEST_CASE("a type used once per pipeline is reported at each later component's type") {
    CHECK(check(R"(version: 1
sources:
  a: {type: console}
  b: {type: generator}
  c:
    type: console
  d: {type: console}
sinks:
  out: {type: console, inputs: [a, b, c, d]}
actuators:
  fan: {type: console, inputs: [b]}
)") == "o.yaml:6:11: error: source 'c' is a second 'console' component: source 'a' at line 3 "
       "already uses the console, expected one per pipeline (let 'a' feed every stage that "
       "needs it)\n"
       "o.yaml:7:13: error: source 'd' is a second 'console' component: source 'a' at line 3 "
       "already uses the console, expected one per pipeline (let 'a' feed every stage that "
       "needs it)\n"
       "o.yaml:11:15: error: actuator 'fan' is a second 'console' component: sink 'out' at "
       "line 9 already uses the console, expected one per pipeline (one sink or actuator, not "
       "both)\n");
}
