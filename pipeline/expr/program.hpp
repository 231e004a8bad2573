#pragma once
// The compiled form of an expression: a flat array of nodes that the evaluator walks. Private to
// pipeline/expr.

#include "pipeline/expr/pattern.hpp"
#include "pipeline/symbol.hpp"
#include "pipeline/value.hpp"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace sluice {

/// The set of types a sub-expression may produce, as known at load time (one bit per ValueType).
using TypeSet = std::uint8_t;

constexpr TypeSet type_bit(ValueType t) {
    return static_cast<TypeSet>(1u << static_cast<unsigned>(t));
}
inline constexpr TypeSet kTNull = type_bit(ValueType::null);
inline constexpr TypeSet kTBool = type_bit(ValueType::boolean);
inline constexpr TypeSet kTInt = type_bit(ValueType::integer);
inline constexpr TypeSet kTDouble = type_bit(ValueType::number);
inline constexpr TypeSet kTString = type_bit(ValueType::string);
inline constexpr TypeSet kTNumber = kTInt | kTDouble;
inline constexpr TypeSet kTAny = kTNull | kTBool | kTNumber | kTString;

enum class Op : std::uint8_t {
    constant, // value
    field,    // symbol
    is_null,  // a == null
    not_null, // a != null
    neg,
    logical_not,
    add,
    sub,
    mul,
    div,
    mod,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    logical_and,
    logical_or,
    cond,          // a ? b : c
    in_list,       // a in [kids...]
    call,          // function `fn` over kids
    exists,        // symbol
    compare_field, // field `symbol` compared by the operator in `fn` (comparison_mask in `aux`)
                   // with the constant `value`
    now,
    ts,
    source,
};

/// The operators whose value is a bool that the evaluator decides without building a Value
/// (Evaluator::condition): comparison of a field with a constant, and the logical operators.
inline constexpr bool is_condition(Op op) {
    return op == Op::compare_field || op == Op::logical_and || op == Op::logical_or ||
           op == Op::logical_not;
}

/// One node. Binary operators use a and b, `cond` uses a, b and c; `in_list` and `call` keep
/// their operands in Program::kids[first, first + count).
struct Node {
    Op op = Op::constant;
    std::uint8_t fn = 0; // function id for `call`
    TypeSet types = kTAny;
    std::uint32_t offset = 0; // its operator or name in the text, where errors about it point
    std::uint32_t start = 0;  // its first character in the text
    std::uint32_t a = 0;
    std::uint32_t b = 0;
    std::uint32_t c = 0;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    Symbol symbol = 0;     // for `field`
    std::uint32_t aux = 0; // `matches`: index into Program::patterns; `compare_field`: a mask
    Value value;           // for `constant`
};

struct Program {
    std::string text;
    std::vector<Node> nodes;
    std::vector<std::uint32_t> kids;
    std::uint32_t root = 0;
    /// Owns the text of string constants (literals and folded results); a deque so views stay put.
    std::deque<std::string> strings;
    std::vector<expr::Pattern> patterns;

    std::uint32_t add(Node node) {
        nodes.push_back(node);
        return static_cast<std::uint32_t>(nodes.size() - 1);
    }
    std::string_view keep(std::string s) { return strings.emplace_back(std::move(s)); }
};

} // namespace sluice
