#pragma once
// Numbers and strings as the operators see them: comparison across int and double, checked
// integer arithmetic, conversions.

#include "pipeline/expr/program.hpp"

#include <cstddef>
#include <string_view>

namespace sluice::expr {

class Arena;

/// -1, 0 or 1 comparing two numeric values (int and double compare by value); kUnordered when
/// either is NaN.
inline constexpr int kUnordered = 2;
int compare_numbers(const Value& a, const Value& b);

/// Whether comparison result `c` satisfies `op` (one of eq ne lt le gt ge).
bool comparison_holds(Op op, int c);

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
