#pragma once
// Numbers and strings as the operators see them: comparison across int and double, checked
// integer arithmetic, conversions.

#include "pipeline/expr/program.hpp"

#include <cstddef>
#include <string_view>

namespace sluice::expr {

class Arena;

/// -1, 0 or 1 comparing two numeric values (int and double compare by value); kUnordered when
/// either is NaN. Inline: it sits on the hot path of every numeric condition.
inline constexpr int kUnordered = 2;
inline int compare_numbers(const Value& a, const Value& b) {
    if (a.is_int() && b.is_int()) {
        return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
    }
    double x = a.to_double();
    double y = b.to_double();
    if (x < y) {
        return -1;
    }
    if (x > y) {
        return 1;
    }
    return x == y ? 0 : kUnordered;
}

/// The results of compare_numbers() that satisfy `op`, one bit each for -1, 0, 1 and kUnordered:
/// comparison_mask(op) >> (c + 1) & 1 says whether `c` satisfies `op`, without a branch.
constexpr std::uint8_t comparison_mask(Op op) {
    switch (op) {
    case Op::eq:
        return 0b0010;
    case Op::ne:
        return 0b1101;
    case Op::lt:
        return 0b0001;
    case Op::le:
        return 0b0011;
    case Op::gt:
        return 0b0100;
    case Op::ge:
        return 0b0110;
    default:
        return 0;
    }
}

/// Whether comparison result `c` satisfies `op` (one of eq ne lt le gt ge).
inline bool comparison_holds(Op op, int c) {
    switch (op) {
    case Op::eq:
        return c == 0;
    case Op::ne:
        return c != 0;
    case Op::lt:
        return c == -1;
    case Op::le:
        return c == -1 || c == 0;
    case Op::gt:
        return c == 1;
    case Op::ge:
        return c == 1 || c == 0;
    default:
        return false;
    }
}

/// The outcome of comparing two values with `op` under the language's rules: null makes any
/// comparison false; numbers compare by value, strings by bytes, bools only for (in)equality;
/// values of different types are unequal and have no order.
enum class Comparison : std::uint8_t { false_, true_, no_order };
inline Comparison compare_values(Op op, const Value& a, const Value& b) {
    auto result = [](bool holds) { return holds ? Comparison::true_ : Comparison::false_; };
    if (a.is_null() || b.is_null()) {
        return Comparison::false_;
    }
    bool ordering = op != Op::eq && op != Op::ne;
    if (a.is_numeric() && b.is_numeric()) {
        return result(comparison_holds(op, compare_numbers(a, b)));
    }
    if (a.type() != b.type()) {
        return ordering ? Comparison::no_order : result(op == Op::ne);
    }
    if (a.is_string()) {
        if (!ordering) {
            return result((a.as_string() == b.as_string()) == (op == Op::eq));
        }
        int r = a.as_string().compare(b.as_string());
        return result(comparison_holds(op, r < 0 ? -1 : r > 0 ? 1 : 0));
    }
    if (ordering) {
        return Comparison::no_order;
    }
    return result((a.as_bool() == b.as_bool()) == (op == Op::eq));
}

/// Applies + - * / % to two non-null operands. Returns nullptr, or an error message (division by
/// zero, integer overflow, wrong types). Strings concatenated by + go to `arena`.
const char* arithmetic(Op op, const Value& a, const Value& b, Value& out, Arena& arena);

/// `x` as an int when it is finite and within int64, else an error message.
const char* to_integer(double x, Value& out);

/// "42" -> int, "2.5" or "1e3" -> double, surrounding blanks ignored; anything else -> null.
Value parse_number(std::string_view text);

/// Shortest round-trip text of `x` written into `buffer`.
std::string_view format_double(double x, char* buffer, std::size_t size);

/// The symbol of a binary or unary operator as written: "+", "&&"...
std::string_view op_symbol(Op op);

} // namespace sluice::expr
