#include "pipeline/expr/expr_test_support.hpp"

#include <utility>
#include <vector>

using namespace sluice;
using sluice::test::check_table;
using sluice::test::eval_text;

TEST_CASE("run-time errors return no value and say why") {
    check_table({
        {"temp / (temp - 95)", "error: division by zero"},
        {"t / (t - t)", "error: division by zero"},
        {"temp % (temp - 95)", "error: modulo by zero"},
        {"t % (t - t)", "error: modulo by zero"},
        {"sensor * 2", "error: '*' needs numbers, got string"},
        {"2 - sensor", "error: '-' needs numbers, got string"},
        {"sensor + 1", "error: '+' needs two numbers or two strings, got string and int"},
        {"on + 1", "error: '+' needs two numbers or two strings, got bool and int"},
        {"-sensor", "error: '-' needs a number, got string"},
        {"!sensor", "error: '!' needs a bool, got string"},
        {"temp && on", "error: '&&' needs bools, got int"},
        {"off || sensor", "error: '||' needs bools, got string"},
        {"temp ? 1 : 2", "error: '?' needs a bool condition, got int"},
        {"sensor < 5", "error: '<' cannot compare string with int"},
        {"on > off", "error: '>' needs numbers or strings, got bool"},
        {"sqrt(temp - 100)", "error: sqrt() of a negative number"},
        {"pow(temp, 1000)", "error: pow() overflows"},
        {"pow(-temp, 0.5)", "error: pow() result is not a number"},
        {"upper(temp)", "error: 'upper' needs a string, got int"},
        {"abs(sensor)", "error: 'abs' needs a number, got string"},
        {"len(temp)", "error: 'len' needs a string, got int"},
        {"clamp(temp, 10, 0 * temp)", "error: clamp() low bound is above its high bound"},
        {"round(t, temp)", "error: round() digits must be an int from 0 to 15"},
        {"t * 1e308", "error: number overflow"},
        {"floor(t * 1e300)", "error: number out of integer range"},
        {"floor(pow(t, 100))", "error: number out of integer range"},
        {"temp * 9223372036854775807", "error: integer overflow"},
        {"-temp - 9223372036854775807 - 9223372036854775807", "error: integer overflow"},
        {"abs(temp - 95 - 9223372036854775807 - 1)", "error: integer overflow in abs()"},
    });
}

TEST_CASE("a failed evaluation does not spoil the next one") {
    Expression e = test::compiled("100 / (temp - 95)");
    EvalContext ctx;
    Event event = test::sample_event();
    CHECK_FALSE(e.eval(event, ctx).has_value());
    CHECK(ctx.error == "division by zero");
    event.set(intern("temp"), Value::integer(96));
    auto v = e.eval(event, ctx);
    REQUIRE(v);
    CHECK(v->as_double() == 100.0);
}

TEST_CASE("test is true only for a boolean true result") {
    EvalContext ctx;
    Event event = test::sample_event();
    CHECK(test::compiled("temp > 90").test(event, ctx) == std::optional<bool>(true));
    CHECK(test::compiled("temp < 90").test(event, ctx) == std::optional<bool>(false));
    CHECK(test::compiled("temp").test(event, ctx) == std::optional<bool>(false));
    CHECK(test::compiled("missing").test(event, ctx) == std::optional<bool>(false));
    CHECK(test::compiled("sensor").test(event, ctx) == std::optional<bool>(false));
    CHECK_FALSE(test::compiled("temp / (temp - 95) > 1").test(event, ctx).has_value());
    CHECK(ctx.error == "division by zero");
}

namespace {

std::optional<Value> match_long(const std::string& pattern, const std::string& text,
                                EvalContext& ctx) {
    Event event;
    event.set(intern("text"), Value::string(text));
    return test::compiled("matches(text, \"" + pattern + "\")").eval(event, ctx);
}

} // namespace

TEST_CASE("matches() searches inputs far longer than a frame without crashing") {
    // std::regex recursed once per character and overflowed the stack at about 35 KB.
    EvalContext ctx;
    std::string filler(1 << 20, 'x');
    auto found = match_long("ERR.*timeout", "ERR " + filler + " timeout", ctx);
    REQUIRE(found);
    CHECK(found->as_bool());
    auto missing = match_long("ERR.*timeout", "ERR " + filler.substr(0, 60000), ctx);
    REQUIRE(missing);
    CHECK_FALSE(missing->as_bool());
    auto anchored = match_long("^[a-z]+$", filler, ctx);
    REQUIRE(anchored);
    CHECK(anchored->as_bool());
}

TEST_CASE("matches() gives up on a search past its step limit with a run-time error") {
    // Nested quantifiers backtrack exponentially; the limit turns that into an error at once.
    EvalContext ctx;
    auto result = match_long("(x+x+)+z", std::string(40, 'x') + "yz", ctx);
    CHECK_FALSE(result.has_value());
    CHECK(ctx.error == "regular expression too complex for the input");
    // The next search with the same context works.
    auto next = match_long("x+z", "xxz", ctx);
    REQUIRE(next);
    CHECK(next->as_bool());
}

TEST_CASE("matches() treats bytes that are not UTF-8 as matching nothing") {
    EvalContext ctx;
    auto dot = match_long("^a.b$",
                          "a\xff"
                          "b",
                          ctx);
    REQUIRE(dot);
    CHECK_FALSE(dot->as_bool());
    auto around = match_long("ok", "\xff\xfe ok", ctx);
    REQUIRE(around);
    CHECK(around->as_bool());
    auto multibyte = match_long("^a.b$",
                                "a\xc3\xa9"
                                "b",
                                ctx); // é is one character
    REQUIRE(multibyte);
    CHECK(multibyte->as_bool());
}
