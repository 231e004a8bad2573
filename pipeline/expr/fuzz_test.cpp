#include "pipeline/expr/expr_test_support.hpp"

#include <random>
#include <string>
#include <vector>

using namespace sluice;

namespace {

/// Pieces that make random text look like expressions often enough to reach the checker and the
/// evaluator, not only the lexer.
const std::vector<std::string> kPieces = {
    "temp",     "t",      "sensor",  "missing", "room.temp", "1",
    "0",        "2.5",    "-",       "+",       "*",         "/",
    "%",        "(",      ")",       "[",       "]",         ",",
    "?",        ":",      "==",      "!=",      "<",         ">=",
    "&&",       "||",     "!",       "not",     "and",       "in",
    "\"s\"",    "'q'",    "null",    "true",    "5s",        "abs(",
    "min(",     "round(", "sqrt(",   "pow(",    "upper(",    "to_string(",
    "matches(", "field(", "exists(", "len(",    "now()",     "ts",
    "source",   " ",      "\"",      "\\",      "1e999",     "9223372036854775807",
    "=",        "&",      "#",       ".",       "\x01",      "\xff"};

int pick(std::mt19937& rng, int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(rng);
}

/// A random expression that is usually well formed (types and values vary, so it often fails at
/// run time instead).
std::string random_expression(std::mt19937& rng, int depth) {
    static const std::vector<std::string> kLeaves = {"temp",   "t",
                                                     "sensor", "missing",
                                                     "gone",   "on",
                                                     "text",   "room.temp",
                                                     "1",      "0",
                                                     "-3",     "2.5",
                                                     "0.0",    "\"t1\"",
                                                     "''",     "true",
                                                     "null",   "5s",
                                                     "ts",     "now()",
                                                     "source", "9223372036854775807"};
    static const std::vector<std::string> kBinary = {" + ",  " - ",  " * ",  " / ",   " % ",
                                                     " == ", " != ", " < ",  " <= ",  " > ",
                                                     " >= ", " && ", " || ", " and ", " or "};
    static const std::vector<std::string> kUnary = {"abs",   "round",     "floor",     "ceil",
                                                    "sqrt",  "to_number", "to_string", "lower",
                                                    "upper", "len",       "exists"};
    if (depth <= 0 || pick(rng, 4) == 0) {
        return kLeaves[static_cast<std::size_t>(pick(rng, static_cast<int>(kLeaves.size())))];
    }
    auto sub = [&] { return random_expression(rng, depth - 1); };
    switch (pick(rng, 8)) {
    case 0:
        return "(" + sub() + ")";
    case 1:
        return (pick(rng, 2) ? "!" : "-") + sub();
    case 2:
        return sub() + " ? " + sub() + " : " + sub();
    case 3:
        return sub() + " in [" + sub() + ", " + sub() + "]";
    case 4:
        return kUnary[static_cast<std::size_t>(pick(rng, static_cast<int>(kUnary.size())))] + "(" +
               sub() + ")";
    case 5: {
        static const std::vector<std::string> kTwo = {
            "min", "max", "pow", "contains", "starts_with", "ends_with", "round"};
        return kTwo[static_cast<std::size_t>(pick(rng, static_cast<int>(kTwo.size())))] + "(" +
               sub() + ", " + sub() + ")";
    }
    case 6:
        return "clamp(" + sub() + ", " + sub() + ", " + sub() + ")";
    default:
        return sub() +
               kBinary[static_cast<std::size_t>(pick(rng, static_cast<int>(kBinary.size())))] +
               sub();
    }
}

std::string random_text(std::mt19937& rng) {
    std::uniform_int_distribution<int> mode(0, 5);
    std::uniform_int_distribution<std::size_t> length(0, 24);
    std::string out;
    std::size_t n = length(rng);
    int m = mode(rng);
    if (m >= 3) {
        std::string text = random_expression(rng, 5);
        // Now and then one damaged character, to probe the error paths near valid input.
        if (m == 5 && !text.empty()) {
            auto at = static_cast<std::size_t>(pick(rng, static_cast<int>(text.size())));
            text[at] = static_cast<char>(pick(rng, 128));
        }
        return text;
    }
    if (m == 0) {
        std::uniform_int_distribution<int> byte(0, 255);
        for (std::size_t i = 0; i < n; ++i) {
            out.push_back(static_cast<char>(byte(rng)));
        }
        return out;
    }
    std::uniform_int_distribution<std::size_t> piece(0, kPieces.size() - 1);
    for (std::size_t i = 0; i < n; ++i) {
        out += kPieces[piece(rng)];
    }
    return out;
}

} // namespace

TEST_CASE("random input never crashes compile or eval") {
    std::mt19937 rng(20240611);
    EvalContext ctx;
    Event event = test::sample_event();
    int compiled = 0;
    for (int i = 0; i < 5000; ++i) {
        std::string text = random_text(rng);
        Diagnostics d("fuzz.yaml");
        auto e = Expression::compile(text, Position{1, 1}, d);
        INFO(text);
        REQUIRE(e.has_value() != d.has_errors());
        if (!e) {
            for (const auto& diagnostic : d.all()) {
                // Every error points inside the expression or just past its end.
                REQUIRE(diagnostic.position.line == 1);
                REQUIRE(diagnostic.position.column >= 1);
                REQUIRE(diagnostic.position.column <= text.size() + 1);
            }
            continue;
        }
        ++compiled;
        auto v = e->eval(event, ctx);
        if (!v) {
            REQUIRE_FALSE(ctx.error.empty());
        }
    }
    // The pieces are chosen so a fair share of the inputs get through to evaluation.
    CHECK(compiled > 500);
}
