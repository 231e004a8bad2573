#include "config/env_subst.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace sluice;

namespace {

EnvLookup fake_env() {
    static const std::map<std::string, std::string> vars = {
        {"PORT", "8080"}, {"HOST", "plant-1"}, {"EMPTY", ""}};
    return [](const std::string& name) -> std::optional<std::string> {
        auto found = vars.find(name);
        return found == vars.end() ? std::nullopt : std::optional<std::string>(found->second);
    };
}

std::optional<std::string> subst(std::string_view text, Diagnostics& d) {
    return substitute_env(text, {3, 7}, fake_env(), d);
}

} // namespace

TEST_CASE("substitution replaces set variables anywhere in a scalar") {
    Diagnostics d("f.yaml");
    CHECK(subst("${HOST}:${PORT}", d) == "plant-1:8080");
    CHECK(subst("tcp://${HOST}/x", d) == "tcp://plant-1/x");
    CHECK_FALSE(d.has_errors());
}

TEST_CASE("a default applies only when the variable is unset") {
    Diagnostics d("f.yaml");
    CHECK(subst("${NOPE:-9600}", d) == "9600");
    CHECK(subst("${PORT:-1}", d) == "8080");
    CHECK(subst("${EMPTY:-x}", d) == "");
    CHECK(subst("${NOPE:-}", d) == "");
    CHECK_FALSE(d.has_errors());
}

TEST_CASE("a double dollar is a literal dollar and a lone dollar stays") {
    Diagnostics d("f.yaml");
    CHECK(subst("$${PORT}", d) == "${PORT}");
    CHECK(subst("cost $5 $", d) == "cost $5 $");
    CHECK(subst("$$$$", d) == "$$");
    CHECK_FALSE(d.has_errors());
}

TEST_CASE("an unset variable without a default is an error naming it at the scalar") {
    Diagnostics d("f.yaml");
    CHECK(subst("${MISSING}", d) == std::nullopt);
    REQUIRE(d.all().size() == 1);
    CHECK(d.format(d.all()[0]) == "f.yaml:3:7: error: environment variable 'MISSING' is not set, "
                                  "expected it set or a default as ${MISSING:-default}");
}

TEST_CASE("every unset variable in a scalar is reported") {
    Diagnostics d("f.yaml");
    CHECK(subst("${A}${B}", d) == std::nullopt);
    CHECK(d.error_count() == 2);
}

TEST_CASE("malformed references are errors") {
    for (const char* text : {"${}", "${1X}", "${A-b}", "${A B}", "${A", "x${"}) {
        Diagnostics d("f.yaml");
        CHECK(subst(text, d) == std::nullopt);
        CHECK(d.error_count() == 1);
    }
}
