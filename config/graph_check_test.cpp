#include "config/load.hpp"
#include "config/test_kinds.hpp"
#include "pipeline/stage.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace sluice;

namespace {

std::string check(std::string_view text, const KindRegistry& registry = testing::test_registry()) {
    Diagnostics d("g.yaml");
    load_config_text(text, "g.yaml", registry, d);
    return d.format_all();
}

std::string with_source(std::string_view rest) {
    return "version: 1\nsources:\n  s: {type: generator}\n" + std::string(rest);
}

} // namespace

TEST_CASE("a cycle of stages is named in the direction events flow") {
    auto text = with_source(R"(stages:
  a: {type: pass, inputs: [s, c]}
  b: {type: pass, inputs: [a]}
  c: {type: pass, inputs: [b]}
sinks:
  out: {type: stdout, inputs: c}
)");
    CHECK(check(text) == "g.yaml:6:28: error: inputs form a cycle: a -> b -> c -> a, expected "
                         "events to flow from sources to sinks without loops\n");
}

TEST_CASE("a stage reading itself is a cycle") {
    auto text = with_source("stages:\n  a: {type: pass, inputs: [s, a]}\nsinks:\n  o: {type: "
                            "stdout, inputs: a}\n");
    CHECK(check(text) == "g.yaml:5:31: error: inputs form a cycle: a -> a, expected events to "
                         "flow from sources to sinks without loops\n");
}

TEST_CASE("an input naming an output the stage has is accepted") {
    auto text = with_source(R"(stages:
  r: {type: split, inputs: s, routes: {hot: "x", cold: "y"}}
sinks:
  a: {type: stdout, inputs: [r.hot, r.cold, r._unmatched]}
)");
    CHECK(check(text) == "");
}

TEST_CASE("an input naming an output the stage lacks lists the outputs it has") {
    auto text = with_source(R"(stages:
  r: {type: split, inputs: s, routes: {hot: "x", cold: "y"}}
  p: {type: pass, inputs: s}
sinks:
  a: {type: stdout, inputs: [r.hott, r.cold, p.out, s.x]}
)");
    CHECK(check(text) ==
          "g.yaml:8:30: error: stage 'r' has no output 'hott' (did you mean 'hot'?), expected "
          "one of: r.hot, r.cold, r._unmatched\n"
          "g.yaml:8:46: error: stage 'p' has no output 'out', expected 'p' (it has no named "
          "outputs)\n"
          "g.yaml:8:53: error: source 's' has no output 'x', expected 's' (it has no named "
          "outputs)\n");
}

TEST_CASE("reading a stage with named outputs by its bare name is an error") {
    auto text = with_source(R"(stages:
  r: {type: split, inputs: s, routes: {hot: "x"}}
sinks:
  a: {type: stdout, inputs: r}
)");
    CHECK(check(text) == "g.yaml:7:29: error: stage 'r' has named outputs, expected one of: "
                         "r.hot, r._unmatched\n");
}

TEST_CASE("an input naming nothing suggests a close name") {
    auto text = with_source("sinks:\n  a: {type: stdout, inputs: [ss, zzz]}\n");
    CHECK(check(text) == "g.yaml:5:30: error: input 'ss' names no component (did you mean "
                         "'s'?), expected the name of a source or stage\n"
                         "g.yaml:5:34: error: input 'zzz' names no component, expected the name "
                         "of a source or stage\n");
}

TEST_CASE("an input naming a sink is an error") {
    auto text = with_source("sinks:\n  a: {type: stdout, inputs: s}\n  b: {type: stdout, "
                            "inputs: a}\n");
    CHECK(check(text) == "g.yaml:6:29: error: input 'a' names sink 'a', expected a source or "
                         "stage (sinks produce no events)\n");
}

TEST_CASE("an empty inputs list is an error") {
    auto text = with_source("sinks:\n  a: {type: stdout, inputs: []}\n");
    CHECK(check(text) == "g.yaml:5:29: error: sink 'a' has no inputs, expected at least one "
                         "source or stage\n");
}

TEST_CASE("an input listed twice is an error") {
    auto text = with_source("sinks:\n  a: {type: stdout, inputs: [s, s]}\n");
    CHECK(check(text) == "g.yaml:5:33: error: input 's' is listed twice (first at line 5), "
                         "expected each input once\n");
}

TEST_CASE("a name used in two sections is an error at the second") {
    auto text = with_source("sinks:\n  s: {type: stdout, inputs: s}\n");
    CHECK(check(text) == "g.yaml:5:3: error: name 's' is already used by the source at line 3, "
                         "expected a unique name per component\n");
}

TEST_CASE("stages nothing reads are warned about") {
    auto text = with_source("stages:\n  p: {type: pass, inputs: s}\n");
    CHECK(check(text) == "g.yaml:5:3: warning: stage 'p' is not read by any stage, sink or "
                         "actuator\n");
}

TEST_CASE("errors from a stage factory are reported") {
    auto text = with_source(R"y(stages:
  x: {type: scale, inputs: s, field: t, when: "bogus(t)"}
sinks:
  o: {type: stdout, inputs: x}
)y");
    CHECK(check(text) == "g.yaml:5:47: error: unknown function 'bogus', expected one of: abs, "
                         "min, max\n");
}

namespace {

std::unique_ptr<Stage> throwing_factory(const ComponentConfig&, Diagnostics&) {
    throw std::runtime_error("out of widgets");
}

std::unique_ptr<Stage> null_factory(const ComponentConfig&, Diagnostics&) {
    return nullptr;
}

} // namespace

TEST_CASE("a factory that throws or returns nothing is reported, not propagated") {
    KindRegistry registry = testing::test_registry();
    registry.add(KindSpec{ComponentKind::stage, "boom", "", {}, {}, throwing_factory});
    registry.add(KindSpec{ComponentKind::stage, "empty", "", {}, {}, null_factory});
    auto text = with_source(R"(stages:
  x: {type: boom, inputs: s}
  y: {type: empty, inputs: s}
sinks:
  o: {type: stdout, inputs: [x, y]}
)");
    CHECK(check(text, registry) ==
          "g.yaml:5:3: error: stage 'x' could not be built: out of widgets\n"
          "g.yaml:6:3: error: stage 'y' could not be built\n");
}

TEST_CASE("a long chain of stages is checked without deep recursion") {
    std::string text = with_source("stages:\n");
    constexpr int kStages = 5000;
    for (int i = 0; i < kStages; ++i) {
        text += "  p" + std::to_string(i) +
                ": {type: pass, inputs: " + (i ? "p" + std::to_string(i - 1) : std::string("s")) +
                "}\n";
    }
    text += "sinks:\n  o: {type: stdout, inputs: p" + std::to_string(kStages - 1) + "}\n";
    CHECK(check(text) == "");
}
