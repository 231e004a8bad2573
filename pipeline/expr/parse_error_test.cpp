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
