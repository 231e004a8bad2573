#include "pipeline/expr/expr_test_support.hpp"
#include "pipeline/expr/scratch.hpp"

#include <cstring>
#include <string>

using namespace sluice;

TEST_CASE("arena pieces stay put while later pieces are allocated") {
    expr::Arena arena;
    char* first = arena.allocate(10);
    std::memcpy(first, "0123456789", 10);
    for (int i = 0; i < 100; ++i) {
        char* p = arena.allocate(1000);
        std::memset(p, 'x', 1000);
    }
    CHECK(std::string(first, 10) == "0123456789");
}

TEST_CASE("arena reuses its memory after reset") {
    expr::Arena arena;
    for (int i = 0; i < 50; ++i) {
        arena.allocate(700);
    }
    std::size_t grown = arena.capacity();
    for (int round = 0; round < 10; ++round) {
        arena.reset();
        for (int i = 0; i < 50; ++i) {
            arena.allocate(700);
        }
    }
    CHECK(arena.capacity() == grown);
}

TEST_CASE("nested string results do not overwrite each other within one evaluation") {
    Expression e = test::compiled("upper(sensor) + \"/\" + lower(text) + \"/\" + to_string(temp) + "
                                  "\"/\" + upper(lower(upper(text)) + to_string(t))");
    EvalContext ctx;
    Event event = test::sample_event();
    for (int i = 0; i < 100; ++i) {
        auto v = e.eval(event, ctx);
        REQUIRE(v);
        REQUIRE(v->as_string() == "T1/hello world/95/HELLO WORLD21.5");
    }
}

TEST_CASE("a string result stays valid until the next evaluation with the context") {
    Expression a = test::compiled("upper(text) + sensor");
    Expression b = test::compiled("lower(text)");
    EvalContext ctx;
    EvalContext other;
    Event event = test::sample_event();
    auto first = a.eval(event, ctx);
    REQUIRE(first);
    // Evaluations with another context leave this result alone.
    for (int i = 0; i < 10; ++i) {
        REQUIRE(b.eval(event, other));
    }
    CHECK(first->as_string() == "HELLO WORLDt1");
    auto second = b.eval(event, ctx);
    REQUIRE(second);
    CHECK(second->as_string() == "hello world");
}

TEST_CASE("string evaluations in steady state do not grow the scratch storage") {
    Expression e = test::compiled("upper(text) + \"-\" + to_string(t * temp)");
    EvalContext ctx;
    Event event = test::sample_event();
    REQUIRE(e.eval(event, ctx));
    std::size_t capacity = ctx.scratch().arena.capacity();
    for (int i = 0; i < 1000; ++i) {
        REQUIRE(e.eval(event, ctx));
    }
    CHECK(ctx.scratch().arena.capacity() == capacity);
}
