#include "pipeline/expr/expr_test_support.hpp"

#include "tests/support/allocation_counter.hpp"

using namespace sluice;

namespace {

std::size_t allocations_during_evals(const Expression& e, int count) {
    EvalContext ctx;
    Event event = test::sample_event();
    REQUIRE(e.eval(event, ctx)); // warm-up: lets the scratch storage grow once
    std::size_t before = test::allocations();
    for (int i = 0; i < count; ++i) {
        if (!e.eval(event, ctx)) {
            FAIL(ctx.error);
        }
    }
    return test::allocations() - before;
}

} // namespace

TEST_CASE("numeric and boolean evaluation allocates nothing") {
    for (const char* text :
         {"temp > 90 && sensor == \"t1\"", "t * 1.8 + 32", "abs(temp - 100) % 7",
          "clamp(round(t), 0, 50) in [21, 22]", "not exists(missing) and now() - ts > 1s",
          "temp > 90 ? max(temp, t, 3) : min(temp, 1)", "missing == null || missing > 3",
          "contains(text, \"World\") && starts_with(sensor, \"t\") && len(text) == 11",
          "matches(text, \"o W\") && matches(sensor, \"^t[0-9]+$\")"}) {
        INFO(text);
        CHECK(allocations_during_evals(test::compiled(text), 1000) == 0);
    }
}

TEST_CASE("string evaluation allocates nothing once the scratch storage has grown") {
    for (const char* text : {"upper(text) + \"-\" + to_string(t * temp)", "lower(sensor + text)",
                             "to_string(temp) + to_string(t) + to_string(on)"}) {
        INFO(text);
        CHECK(allocations_during_evals(test::compiled(text), 1000) == 0);
    }
}
