#pragma once
// Load-time checks and rewrites of a parsed Program: arities, types where they are known, the
// special functions (field, exists, matches, now, ts, source), and constant folding.

#include "pipeline/diagnostics.hpp"
#include "pipeline/expr/program.hpp"

namespace sluice::expr {

/// Checks and rewrites `program` in place. Reports every problem at its column (`where` is the
/// text's first character); returns whether the program is free of errors.
bool check(Program& program, TextOrigin where, Diagnostics& diagnostics);

} // namespace sluice::expr
