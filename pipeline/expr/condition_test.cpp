#include "pipeline/expr/expr_test_support.hpp"

#include <vector>

using namespace sluice;

namespace {

std::string condition_errors(const std::string& text) {
    Diagnostics d("f.yaml");
    auto e = Expression::compile_condition(text, Position{3, 17}, d);
    CHECK(e.has_value() == !d.has_errors());
    return d.format_all();
}

std::string never_true(const char* what) {
    return std::string("f.yaml:3:17: error: a condition must be a bool, this is ") + what +
           " (it would never be true), expected a test such as temp > 90\n";
}

} // namespace

TEST_CASE("a condition whose type is known and not bool is a load error at the expression") {
    struct Case {
        const char* text;
        const char* what;
    };
    for (const auto& [text, what] : std::vector<Case>{{"1", "an int"},
                                                      {"2.5", "a double"},
                                                      {"'abc'", "a string"},
                                                      {"null", "null"},
                                                      {"(1)", "an int"},
                                                      {"temp + 1", "a number"},
                                                      {"2 * 3", "an int"},
                                                      {"temp / 2", "a double"},
                                                      {"hot ? 1 : 'x'", "a number or a string"},
                                                      {"abs(temp)", "a number"},
                                                      {"lower(name)", "a string"}}) {
        INFO(text);
        CHECK(condition_errors(text) == never_true(what));
    }
}

TEST_CASE("a condition that can be a bool, or whose type is known only at run time, compiles") {
    for (const char* text :
         {"hot", "field(\"odd-name\")", "temp > 90", "true", "1 > 0", "exists(temp)",
          "hot ? true : 1", "name in ['a', 'b']", "contains(name, 'x')", "!hot"}) {
        INFO(text);
        CHECK(condition_errors(text) == "");
    }
}

TEST_CASE("a value expression may be of any type") {
    Diagnostics d("f.yaml");
    CHECK(Expression::compile("temp + 1", Position{3, 17}, d));
    CHECK(Expression::compile("'abc'", Position{3, 17}, d));
    CHECK_FALSE(d.has_errors());
}
