#include "pipeline/expr/expr_test_support.hpp"

#include <sstream>
#include <utility>
#include <vector>

using namespace sluice;
using sluice::test::check_table;
using sluice::test::eval_text;

TEST_CASE("literals evaluate to their values") {
    check_table({
        {"42", "int 42"},
        {"2.5", "double 2.5"},
        {".5", "double 0.5"},
        {"1e3", "double 1000"},
        {"\"hi\"", "string \"hi\""},
        {"'hi'", "string \"hi\""},
        {"\"a\\\"b\\n\"", "string \"a\"b\n\""},
        {"'it\\'s'", "string \"it's\""},
        {"\"\\u00e9\\x41\"", "string \"\xc3\xa9"
                             "A\""},
        {"true", "bool true"},
        {"false", "bool false"},
        {"null", "null"},
        {"5s", "int 5000000000"},
        {"250ms", "int 250000000"},
        {"1.5m", "int 90000000000"},
        {"2h", "int 7200000000000"},
        {"10us", "int 10000"},
        {"3ns", "int 3"},
        {"1d", "int 86400000000000"},
        {"9223372036854775807", "int 9223372036854775807"},
        {"9223372036854775808", "double 9.2233720368547758e+18"},
    });
}

TEST_CASE("field names read the event and missing fields are null") {
    check_table({
        {"temp", "int 95"},
        {"t", "double 21.5"},
        {"sensor", "string \"t1\""},
        {"room.temp", "int 20"},
        {"field(\"odd-name\")", "int 7"},
        {"field('room.temp')", "int 20"},
        {"missing", "null"},
        {"gone", "null"},
        {"room.missing", "null"},
    });
}

TEST_CASE("arithmetic keeps ints exact and mixes with doubles") {
    check_table({
        {"1 + 2", "int 3"},
        {"1 + 2.5", "double 3.5"},
        {"temp - 5", "int 90"},
        {"temp * 2", "int 190"},
        {"t * 2", "double 43"},
        {"7 / 2", "double 3.5"},
        {"6 / 2", "double 3"},
        {"7 % 3", "int 1"},
        {"-7 % 3", "int -1"},
        {"7.5 % 2", "double 1.5"},
        {"-temp", "int -95"},
        {"- -3", "int 3"},
        {"-t", "double -21.5"},
        {"1 + 2 * 3", "int 7"},
        {"(1 + 2) * 3", "int 9"},
        {"10 - 4 - 3", "int 3"},
        {"2 * 3 % 4", "int 2"},
        {"\"ab\" + \"cd\"", "string \"abcd\""},
        {"sensor + \"-\" + text", "string \"t1-Hello World\""},
        {"1s + 500ms", "int 1500000000"},
    });
}

TEST_CASE("arithmetic with null yields null") {
    check_table({
        {"missing + 1", "null"},
        {"1 - missing", "null"},
        {"missing * missing", "null"},
        {"gone / 2", "null"},
        {"5 % missing", "null"},
        {"-missing", "null"},
        {"missing + \"x\"", "null"},
        {"null + 1", "null"},
    });
}

TEST_CASE("comparisons compare numbers across types and strings by bytes") {
    check_table({
        {"temp > 90", "bool true"},
        {"temp >= 95", "bool true"},
        {"temp < 95", "bool false"},
        {"temp <= 95.0", "bool true"},
        {"temp == 95.0", "bool true"},
        {"temp != 95", "bool false"},
        {"t > 21", "bool true"},
        {"1 == 1.0", "bool true"},
        {"sensor == \"t1\"", "bool true"},
        {"sensor != \"t2\"", "bool true"},
        {"\"abc\" < \"abd\"", "bool true"},
        {"\"b\" > \"abc\"", "bool true"},
        {"\"a\" <= \"a\"", "bool true"},
        {"on == true", "bool true"},
        {"on != off", "bool true"},
        {"sensor == 1", "bool false"},
        {"sensor != 1", "bool true"},
        {"temp == \"95\"", "bool false"},
        {"90 < temp", "bool true"},
        {"95 <= temp", "bool true"},
        {"100 > temp", "bool true"},
        {"96 >= temp", "bool true"},
        {"\"t1\" == sensor", "bool true"},
        {"\"t1\" != sensor", "bool false"},
        {"temp < t", "bool false"},
        {"sensor == text", "bool false"},
        {"on == on", "bool true"},
    });
}

TEST_CASE("every comparison with null is false except against the literal null") {
    check_table({
        {"missing > 1", "bool false"},
        {"missing < 1", "bool false"},
        {"missing >= 1", "bool false"},
        {"missing <= 1", "bool false"},
        {"missing == 1", "bool false"},
        {"missing != 1", "bool false"},
        {"missing == gone", "bool false"},
        {"missing == null", "bool true"},
        {"gone == null", "bool true"},
        {"null == missing", "bool true"},
        {"temp == null", "bool false"},
        {"missing != null", "bool false"},
        {"temp != null", "bool true"},
        {"null == null", "bool true"},
    });
}

TEST_CASE("logic operators short-circuit and treat null as false") {
    check_table({
        {"temp > 90 && sensor == \"t1\"", "bool true"},
        {"temp > 90 and sensor == \"t2\"", "bool false"},
        {"temp < 90 || sensor == \"t1\"", "bool true"},
        {"temp < 90 or off", "bool false"},
        {"!on", "bool false"},
        {"not on", "bool false"},
        {"!missing", "bool true"},
        {"missing && true", "bool false"},
        {"missing || true", "bool true"},
        {"not temp > 90", "bool false"},
        {"not temp > 90 and on", "bool false"},
        {"not off and on", "bool true"},
        {"!off && on", "bool true"},
        {"off && (temp / (temp - 95) > 1)", "bool false"},
        {"on || (temp / (temp - 95) > 1)", "bool true"},
        {"on and on or off", "bool true"},
        {"off or on and off", "bool false"},
    });
}

TEST_CASE("the conditional operator picks a branch") {
    check_table({
        {"temp > 90 ? \"hot\" : \"ok\"", "string \"hot\""},
        {"temp > 100 ? \"hot\" : \"ok\"", "string \"ok\""},
        {"missing ? 1 : 2", "int 2"},
        {"off ? 1 : on ? 2 : 3", "int 2"},
        {"on ? temp % (temp - 95) : 1", "error: modulo by zero"},
        {"off ? temp % (temp - 95) : 1", "int 1"},
    });
}

TEST_CASE("in tests membership in a list") {
    check_table({
        {"sensor in [\"t1\", \"t2\"]", "bool true"},
        {"sensor in [\"t3\"]", "bool false"},
        {"temp in [1, 95.0, \"a\"]", "bool true"},
        {"temp in []", "bool false"},
        {"missing in [1, 2]", "bool false"},
        {"missing in [1, null]", "bool true"},
        {"temp in [temp - 1, temp]", "bool true"},
        {"1 + 2 in [3]", "bool true"},
    });
}

TEST_CASE("an expression keeps its text and copies share the compiled program") {
    Expression e = test::compiled("temp > 90");
    Expression copy = e;
    CHECK(copy.text() == "temp > 90");
    EvalContext ctx;
    Event event = test::sample_event();
    CHECK(copy.test(event, ctx) == std::optional<bool>(true));
}

TEST_CASE("a bare field as a condition holds only when the field is boolean true") {
    // A lone field takes a short path in test(); it must agree with the evaluator's notion of
    // truth, which `(field)` still goes through.
    EvalContext ctx;
    Event event = test::sample_event();
    for (const char* name : {"on", "off", "temp", "t", "sensor", "gone", "missing", "room.temp"}) {
        INFO(name);
        auto bare = test::compiled(name).test(event, ctx);
        auto through_evaluator =
            test::compiled(std::string("on ? ") + name + " : " + name).test(event, ctx);
        REQUIRE(bare.has_value());
        CHECK(*bare == (std::string_view(name) == "on"));
        CHECK(bare == through_evaluator);
    }
}

TEST_CASE("compile succeeds after unrelated earlier errors and adds nothing") {
    Diagnostics d("f.yaml");
    d.error(Position{1, 1}, "an earlier, unrelated problem");
    auto e = Expression::compile("temp + 1", Position{2, 5}, d);
    CHECK(e.has_value());
    CHECK(d.all().size() == 1);
}
