#include "pipeline/expr/expr_test_support.hpp"

#include <utility>
#include <vector>

using namespace sluice;
using sluice::test::check_table;
using sluice::test::eval_text;

TEST_CASE("numeric functions compute their results") {
    check_table({
        {"abs(-3)", "int 3"},
        {"abs(t - 30)", "double 8.5"},
        {"min(3, 1, 2)", "int 1"},
        {"min(temp, t)", "double 21.5"},
        {"max(3, 1.5)", "int 3"},
        {"max(temp, t, 100)", "int 100"},
        {"round(2.5)", "int 3"},
        {"round(-2.5)", "int -3"},
        {"round(t)", "int 22"},
        {"round(7)", "int 7"},
        {"round(3.14159, 2)", "double 3.1400000000000001"},
        {"round(7, 1)", "double 7"},
        {"floor(2.7)", "int 2"},
        {"floor(-2.5)", "int -3"},
        {"ceil(2.1)", "int 3"},
        {"ceil(5)", "int 5"},
        {"sqrt(16)", "double 4"},
        {"pow(2, 10)", "double 1024"},
        {"pow(2, -1)", "double 0.5"},
        {"clamp(temp, 0, 50)", "int 50"},
        {"clamp(-5, 0, 50)", "int 0"},
        {"clamp(t, 0, 50)", "double 21.5"},
        {"to_number(\"42\")", "int 42"},
        {"to_number(num_text)", "int 42"},
        {"to_number(\"2.5\")", "double 2.5"},
        {"to_number(\"1e3\")", "double 1000"},
        {"to_number(\"+7\")", "int 7"},
        {"to_number(\"abc\")", "null"},
        {"to_number(\"\")", "null"},
        {"to_number(true)", "int 1"},
        {"to_number(t)", "double 21.5"},
    });
}

TEST_CASE("string functions compute their results") {
    check_table({
        {"to_string(42)", "string \"42\""},
        {"to_string(2.5)", "string \"2.5\""},
        {"to_string(3.0)", "string \"3\""},
        {"to_string(on)", "string \"true\""},
        {"to_string(sensor)", "string \"t1\""},
        {"to_string(temp) + \"C\"", "string \"95C\""},
        {"lower(text)", "string \"hello world\""},
        {"upper(text)", "string \"HELLO WORLD\""},
        {"upper(lower(text)) + lower(text)", "string \"HELLO WORLDhello world\""},
        {"contains(text, \"lo W\")", "bool true"},
        {"contains(text, \"xyz\")", "bool false"},
        {"starts_with(text, \"Hell\")", "bool true"},
        {"starts_with(text, \"World\")", "bool false"},
        {"ends_with(text, \"World\")", "bool true"},
        {"matches(sensor, \"^t[0-9]+$\")", "bool true"},
        {"matches(text, \"o W\")", "bool true"},
        {"matches(text, \"^World\")", "bool false"},
        {"len(text)", "int 11"},
        {"len(\"\")", "int 0"},
    });
}

TEST_CASE("functions return null for a null argument") {
    check_table({
        {"abs(missing)", "null"},
        {"min(1, missing)", "null"},
        {"round(missing)", "null"},
        {"sqrt(gone)", "null"},
        {"upper(missing)", "null"},
        {"to_string(missing)", "null"},
        {"to_number(missing)", "null"},
        {"contains(missing, \"a\")", "null"},
        {"matches(missing, \"a\")", "null"},
        {"len(missing)", "null"},
    });
}

TEST_CASE("exists tells whether the event has a field even when it is null") {
    check_table({
        {"exists(temp)", "bool true"},
        {"exists(room.temp)", "bool true"},
        {"exists(gone)", "bool true"},
        {"exists(missing)", "bool false"},
        {"exists(field(\"odd-name\"))", "bool true"},
        {"!exists(missing)", "bool true"},
    });
}

TEST_CASE("now ts and source read the clock and the event") {
    check_table({
        {"now()", "int 5000"},
        {"now", "int 5000"},
        {"ts", "int 1000"},
        {"ts()", "int 1000"},
        {"source", "string \"src\""},
        {"source()", "string \"src\""},
        {"now() - ts > 1s", "bool false"},
        {"now() - ts", "int 4000"},
        {"source == \"src\"", "bool true"},
    });
}

TEST_CASE("constant sub-expressions are folded at load") {
    check_table({
        {"1 + 2 * 3 == 7", "bool true"},
        {"upper(\"ab\") + \"c\"", "string \"ABc\""},
        {"temp > 60 * 1.5", "bool true"},
        {"sqrt(pow(3, 2) + pow(4, 2))", "double 5"},
    });
}
