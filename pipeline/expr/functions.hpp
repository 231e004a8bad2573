#pragma once
// The built-in functions: their names, arities, argument types and implementations.

#include "pipeline/expr/program.hpp"

#include "pipeline/expr/pattern.hpp"
#include <optional>
#include <string>
#include <string_view>

namespace sluice {
class EvalContext;
}

namespace sluice::expr {

class Arena;

enum class Fn : std::uint8_t {
    abs,
    min,
    max,
    round,
    floor,
    ceil,
    sqrt,
    pow,
    clamp,
    exists,
    to_number,
    to_string,
    lower,
    upper,
    contains,
    starts_with,
    ends_with,
    matches,
    len,
    field,
    now,
    ts,
    source,
};

/// What an implementation may use besides its arguments.
struct CallEnv {
    Arena& arena;
    Matcher& matcher;
    const Pattern* pattern; // the precompiled pattern of matches()
};

/// Computes the result from arguments that are already checked against FunctionInfo::args (and
/// non-null when the function propagates null). Returns nullptr, or a run-time error message.
using FnImpl = const char* (*)(const Value* args, std::uint32_t count, Value& out, CallEnv& env);

inline constexpr std::uint8_t kVariadic = 255;

struct FunctionInfo {
    std::string_view name;
    Fn id;
    std::uint8_t min_args;
    std::uint8_t max_args; // kVariadic: no limit
    TypeSet args;          // the types every argument accepts, besides null
    TypeSet result;        // the types of the result, before null propagation
    FnImpl impl;           // nullptr for the functions the compiler turns into nodes
};

/// The function called `name`, or nullptr.
const FunctionInfo* find_function(std::string_view name);
const FunctionInfo& function_info(Fn id);
/// The known function closest to `name` when it is plausibly a typo of it, or an empty view.
std::string_view suggest_function(std::string_view name);

/// "a number", "a string", "a bool"... for messages.
std::string describe_types(TypeSet types);

/// Shortest text that reads back as the same value: 3, 2.5, 1e+100, true, "text" unquoted.
std::string_view value_to_string(const Value& v, Arena& arena);

/// A string of `length` bytes whose first `length` bytes the caller fills in.
char* string_space(Arena& arena, std::size_t length);

} // namespace sluice::expr
