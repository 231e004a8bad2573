#include "pipeline/expr/expr_test_support.hpp"

#include <utility>
#include <vector>

using namespace sluice;
using sluice::test::compile_errors;

namespace {

using Case = std::pair<const char*, const char*>;

void check_errors(const std::vector<Case>& cases) {
    for (const auto& [text, expected] : cases) {
        INFO(text);
        CHECK(compile_errors(text) == expected);
    }
}

} // namespace

TEST_CASE("syntax errors are reported at their exact column") {
    // The expression starts at column 17, so offset k is column 17 + k.
    check_errors({
        {"temp > )", "f.yaml:3:24: error: unexpected ')', expected an operand"},
        {"", "f.yaml:3:17: error: unexpected end of expression, expected an operand"},
        {"temp >", "f.yaml:3:23: error: unexpected end of expression, expected an operand"},
        {"(temp > 1", "f.yaml:3:26: error: unexpected end of expression, expected ')' to close "
                      "the '(' at column 17"},
        {"temp > 1)", "f.yaml:3:25: error: unexpected ')', expected an operator or the end of "
                      "the expression"},
        {"temp 1", "f.yaml:3:22: error: unexpected number '1', expected an operator or the end "
                   "of the expression"},
        {"temp = 1", "f.yaml:3:22: error: unexpected '=', expected '==' to compare"},
        {"a & b", "f.yaml:3:19: error: unexpected '&', expected '&&'"},
        {"a | b", "f.yaml:3:19: error: unexpected '|', expected '||'"},
        {"a # b", "f.yaml:3:19: error: unexpected character '#', expected an operand or operator"},
        {"\"abc", "f.yaml:3:17: error: unterminated string, expected a closing '\"'"},
        {"'abc", "f.yaml:3:17: error: unterminated string, expected a closing \"'\""},
        {"\"a\\qb\"", "f.yaml:3:19: error: unknown escape '\\q', expected one of \\n \\t \\r \\0 "
                      "\\\\ \\\" \\' \\xHH \\uHHHH"},
        {"\"\\x4\"", "f.yaml:3:18: error: bad escape '\\x', expected 2 hex digits"},
        {"5parsecs", "f.yaml:3:18: error: unknown unit 'parsecs' after a number, expected ns, "
                     "us, ms, s, m, h or d"},
        {"1 < 2 < 3", "f.yaml:3:23: error: comparisons do not chain, expected '&&' between them"},
        {"a ? b", "f.yaml:3:22: error: unexpected end of expression, expected ':' of the '?' at "
                  "column 19"},
        {"x in 1", "f.yaml:3:22: error: unexpected number '1', expected '[' after 'in'"},
        {"x in [1, 2", "f.yaml:3:27: error: unexpected end of expression, expected ',' or ']'"},
        {"max(1 2)", "f.yaml:3:23: error: unexpected number '2', expected ',' or ')'"},
        {"room.", "f.yaml:3:21: error: unexpected character '.', expected an operand or operator"},
    });
}

TEST_CASE("only the first syntax error is reported") {
    CHECK(compile_errors(") )") == "f.yaml:3:17: error: unexpected ')', expected an operand");
}

TEST_CASE("unknown functions are reported with a suggestion") {
    check_errors({
        {"roud(temp)", "f.yaml:3:17: error: unknown function 'roud', did you mean 'round'?"},
        {"1 + uper(x)", "f.yaml:3:21: error: unknown function 'uper', did you mean 'upper'?"},
        {"startswith(x, \"a\")",
         "f.yaml:3:17: error: unknown function 'startswith', did you mean 'starts_with'?"},
        {"frobnicate(x)", "f.yaml:3:17: error: unknown function 'frobnicate'"},
    });
}

TEST_CASE("wrong numbers of arguments are reported at the function name") {
    check_errors({
        {"sqrt()", "f.yaml:3:17: error: 'sqrt' takes 1 argument, got 0"},
        {"x + sqrt(1, 2)", "f.yaml:3:21: error: 'sqrt' takes 1 argument, got 2"},
        {"round(1, 2, 3)", "f.yaml:3:17: error: 'round' takes 1 or 2 arguments, got 3"},
        {"min(1)", "f.yaml:3:17: error: 'min' takes at least 2 arguments, got 1"},
        {"clamp(x, 1)", "f.yaml:3:17: error: 'clamp' takes 3 arguments, got 2"},
        {"now(1)", "f.yaml:3:17: error: 'now' takes 0 arguments, got 1"},
        {"max(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)",
         "f.yaml:3:17: error: 'max' takes at most 16 arguments, got 17"},
    });
}

TEST_CASE("type errors known at load are reported at the operator or argument") {
    check_errors({
        {"\"a\" * 2", "f.yaml:3:21: error: '*' needs numbers, got string"},
        {"x / true", "f.yaml:3:19: error: '/' needs numbers, got bool"},
        {"!\"x\"", "f.yaml:3:17: error: '!' needs a bool, got string"},
        {"not 5", "f.yaml:3:17: error: '!' needs a bool, got int"},
        {"-\"x\"", "f.yaml:3:17: error: '-' needs a number, got string"},
        {"\"a\" + 1", "f.yaml:3:21: error: '+' needs two numbers or two strings, got string and "
                      "int"},
        {"x && 1", "f.yaml:3:19: error: '&&' needs bools, got int"},
        {"\"a\" < 1", "f.yaml:3:21: error: '<' cannot compare string with int"},
        {"true > x", "f.yaml:3:22: error: '>' needs numbers or strings, got bool"},
        {"1 ? 2 : 3", "f.yaml:3:19: error: '?' needs a bool condition, got int"},
        {"upper(1 + 2)", "f.yaml:3:23: error: 'upper' needs a string, got int"},
        {"sqrt(\"a\" + \"b\")", "f.yaml:3:22: error: 'sqrt' needs a number, got string"},
        {"contains(x, 5)", "f.yaml:3:29: error: 'contains' needs a string, got int"},
    });
}

TEST_CASE("constant sub-expressions that fail are load errors") {
    check_errors({
        {"x / (2 - 2)", "f.yaml:3:19: error: division by zero"},
        {"x + 5 % 0", "f.yaml:3:23: error: modulo by zero"},
        {"x % 0.0", "f.yaml:3:19: error: modulo by zero"},
        {"sqrt(-1)", "f.yaml:3:17: error: sqrt() of a negative number"},
    });
}

TEST_CASE("special functions check their arguments at load") {
    check_errors({
        {"field(x)", "f.yaml:3:23: error: 'field' needs a constant string, expected "
                     "field(\"name\")"},
        {"field(\"\")", "f.yaml:3:23: error: 'field' needs a constant string, expected "
                        "field(\"name\")"},
        {"exists(1)", "f.yaml:3:24: error: 'exists' needs a field name, expected exists(name)"},
        {"exists(ts)", "f.yaml:3:24: error: 'exists' needs a field name, expected exists(name)"},
        {"matches(x, y)", "f.yaml:3:28: error: 'matches' needs a constant pattern, expected a "
                          "\"string\""},
        {"matches(x, 5)", "f.yaml:3:28: error: 'matches' needs a constant pattern, expected a "
                          "\"string\""},
    });
    std::string bad_regex = compile_errors("matches(x, \"a(b\")");
    CHECK(bad_regex.rfind("f.yaml:3:28: error: invalid regular expression: ", 0) == 0);
}

TEST_CASE("several load errors in one expression are all reported") {
    CHECK(compile_errors("roud(x) + \"a\" * 2 + sqrt()") ==
          "f.yaml:3:17: error: unknown function 'roud', did you mean 'round'?\n"
          "f.yaml:3:31: error: '*' needs numbers, got string\n"
          "f.yaml:3:37: error: 'sqrt' takes 1 argument, got 0");
}

TEST_CASE("deep nesting is an error, not a stack overflow") {
    std::string deep(5000, '(');
    CHECK(compile_errors(deep).find("expression nested too deeply, expected at most 200 levels") !=
          std::string::npos);
    std::string chain = "x";
    for (int i = 0; i < 5000; ++i) {
        chain += " + x";
    }
    CHECK(compile_errors(chain).find("expression nested too deeply") != std::string::npos);
    std::string nots(5000, '!');
    CHECK(compile_errors(nots + "x").find("expression nested too deeply") != std::string::npos);
    std::string fine = "x";
    for (int i = 0; i < 150; ++i) {
        fine += " + x";
    }
    CHECK(compile_errors(fine).empty());
}
