#pragma once
// Expression text -> the node tree of a Program, by precedence climbing.

#include "pipeline/diagnostics.hpp"
#include "pipeline/expr/program.hpp"

namespace sluice::expr {

/// Call nodes whose function name is unknown carry this id; the error is already reported.
inline constexpr std::uint8_t kUnknownFunction = 255;

/// The deepest nesting of operators and parentheses an expression may have; the evaluator
/// recurses once per level.
inline constexpr std::uint32_t kMaxDepth = 200;

/// Parses program.text into program.nodes, kids and root. Reports the first syntax error, and
/// every unknown function name, at its column (`where` is the text's first character). Returns
/// whether the tree is usable: false after a syntax error.
bool parse(Program& program, TextOrigin where, Diagnostics& diagnostics);

} // namespace sluice::expr
