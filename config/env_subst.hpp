#pragma once
// ${VAR} and ${VAR:-default} substitution in configuration scalars; $$ stands for a literal $.

#include "pipeline/diagnostics.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

/// Looks a variable up; nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (getenv).
EnvLookup process_environment();

/// Returns `text` with every ${VAR}, ${VAR:-default} and $$ replaced. A set but empty variable
/// substitutes as empty; the default applies only when the variable is unset. A `$` followed by
/// anything else stays as written. Reports an unset variable without a default, or a malformed
/// reference, at `where` and returns nullopt.
std::optional<std::string> substitute_env(std::string_view text, Position where,
                                          const EnvLookup& env, Diagnostics& diagnostics);

} // namespace sluice
