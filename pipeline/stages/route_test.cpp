#include "pipeline/stages/testing/stage_harness.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using Lines = std::vector<std::string>;

namespace {

constexpr const char* kRoutes =
    R"(type: route, routes: {hot: "temp > 90", warm: "temp > 50", cold: "temp < 10"})";

Event reading(TestValue temp) {
    return make_event({{"temp", temp}});
}

} // namespace

TEST_CASE("route names its outputs in file order, then _unmatched") {
    StageRunner run(kRoutes);
    CHECK(run.stage().output_names() ==
          std::vector<std::string>{"hot", "warm", "cold", "_unmatched"});
    CHECK(run.stage().port_count() == 4);
}

TEST_CASE("route sends an event to every route it matches") {
    StageRunner run(kRoutes);
    auto ports = run.push_ports({reading(95), reading(60), reading(5)}, 0);
    CHECK(show(ports[0]) == Lines{"{temp: 95}"});
    CHECK(show(ports[1]) == Lines{"{temp: 95}", "{temp: 60}"});
    CHECK(show(ports[2]) == Lines{"{temp: 5}"});
    CHECK(ports[3].empty());
}

TEST_CASE("route sends events that match no route to _unmatched") {
    StageRunner run(kRoutes);
    auto ports = run.push_ports({reading(30), make_event({{"other", 1}})}, 0);
    CHECK(ports[0].empty());
    CHECK(ports[1].empty());
    CHECK(ports[2].empty());
    CHECK(show(ports[3]) == Lines{"{temp: 30}", "{other: 1}"});
}

TEST_CASE("route drops an event whose condition fails to evaluate from every route") {
    SECTION("a string compared with a number") {
        StageRunner run(kRoutes);
        auto ports = run.push_ports({reading("text")}, 0);
        for (const auto& port : ports) {
            CHECK(port.empty());
        }
        CHECK(run.stage().counters().errors == 1);
        CHECK_FALSE(run.stage().counters().last_error.empty());
    }
    StageRunner run(R"(type: route, routes: {a: "true", b: "1 / d > 0"})");
    auto ports = run.push_ports({make_event({{"d", 0}}), make_event({{"d", 1}})}, 0);
    CHECK(show(ports[0]) == Lines{"{d: 1}"});
    CHECK(show(ports[1]) == Lines{"{d: 1}"});
    CHECK(ports[2].empty());
    CHECK(run.stage().counters().errors == 1);
}

TEST_CASE("route rejects reserved names, names with a dot, and no routes") {
    for (const char* bad : {R"(routes: {_unmatched: "true"})", R"(routes: {a.b: "true"})",
                            "routes: {}", R"(routes: {a: "1 +"})"}) {
        INFO(bad);
        Diagnostics d("f.yaml");
        CHECK(build_stage(std::string("type: route, ") + bad, d) == nullptr);
        CHECK(d.has_errors());
    }
}
