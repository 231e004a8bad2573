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
